import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { PolicyVerdict } from '../policies/model.ts';
import type { SessionRef } from './model.ts';

/** The longest a logged hook may grow after its texts are cut: the log's data limit leaves room for the context. */
const hookDataChars = 48 * 1024;
const contextChars = 16_000;

/** `text` cut to `max` characters with a marker saying how much is left out. */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [cut: ${text.length - max} more characters]`;
}

/**
 * A hook's value as the log keeps it: every text cut to `max` characters; when it is still too
 * big as a whole (a 10 MB tool input of many small texts), its JSON cut instead, marked.
 */
export function cutValue(value: unknown, max: number): unknown {
  const cut = cutTexts(value, max, 0);
  const json = JSON.stringify(cut) ?? 'null';
  return json.length <= hookDataChars ? cut : { cut: true, json: cutText(json, hookDataChars) };
}

function cutTexts(value: unknown, max: number, depth: number): unknown {
  if (typeof value === 'string') return cutText(value, max);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= 16) return '… [cut: nested too deep]';
  if (Array.isArray(value)) return value.map((item) => cutTexts(item, max, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cutTexts(item, max, depth + 1)]));
}

/** The agent's name for a session: its project directory's name and the start of its id. */
export function sessionName(session: SessionRef): string {
  const dir = session.cwd ? path.basename(session.cwd) : '';
  return `${dir || 'session'} ${session.id.slice(0, 8)}`;
}

/** What a person reads in the inbox about a tool call: the title, and the context with the call in full. */
export function describeCall(vendorName: string, session: SessionRef, tool: string, input: Record<string, unknown>, verdict: PolicyVerdict): { title: string; context: string } {
  const where = session.cwd ? path.basename(session.cwd) || session.cwd : 'an unknown directory';
  const who = `${vendorName} session ${session.id} in ${session.cwd ?? 'an unknown directory'}`;
  const policy = `Policy: rule "${verdict.rule}" (${verdict.source}) says ${verdict.verdict}: ${verdict.reason}`;
  const command = typeof input.command === 'string' ? input.command : undefined;
  const file = typeof input.file_path === 'string' ? input.file_path : typeof input.notebook_path === 'string' ? input.notebook_path : undefined;
  if (command !== undefined) {
    return { title: cutText(`Run in ${where}: ${command.split('\n')[0]}`, 200), context: fit(`${who} wants to run:\n\n${command}`, policy) };
  }
  if (file !== undefined && /^(Edit|MultiEdit|Write|NotebookEdit)$/.test(tool)) {
    const shown = session.cwd ? path.relative(session.cwd, path.resolve(session.cwd, file)) : file;
    return { title: cutText(`${tool} in ${where}: ${shown}`, 200), context: fit(`${who} wants to change ${file}:\n\n${changeOf(tool, file, input)}`, policy) };
  }
  return { title: cutText(`Use ${tool} in ${where}`, 200), context: fit(`${who} wants to use ${tool} with:\n\n${JSON.stringify(input, null, 2)}`, policy) };
}

/** The change as a unified diff: of each replaced text (Edit, MultiEdit), or of the whole new content (Write, which the hub cannot compare with the file). */
function changeOf(tool: string, file: string, input: Record<string, unknown>): string {
  const str = (value: unknown) => (typeof value === 'string' ? value : '');
  if (tool === 'Write') return createTwoFilesPatch('/dev/null', file, '', str(input.content));
  if (tool === 'NotebookEdit') return createTwoFilesPatch(file, file, '', str(input.new_source));
  const edits = tool === 'MultiEdit' && Array.isArray(input.edits) ? (input.edits as Array<Record<string, unknown>>) : [input];
  return edits.map((edit) => createTwoFilesPatch(file, file, withNewline(str(edit.old_string)), withNewline(str(edit.new_string)))).join('\n');
}

const withNewline = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);

/** The call and the policy line, cut to what a decision's context holds. */
function fit(call: string, policy: string): string {
  return `${cutText(call, contextChars - policy.length - 40)}\n\n${policy}`;
}

/** The reason a paused agent's tool call is denied with. */
export function pausedReason(who: string, reason: string | undefined): string {
  return `paused by ${who}: ${reason ?? 'no reason given'}`;
}

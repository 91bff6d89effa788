import { statusLabels } from './task-board.ts';
import { oldestFirst, taskAgentIds, taskDecisions, taskFailures, taskMoves } from './task-detail.ts';
import type { EventEnvelope, TaskView } from './types.ts';

/** Who an actor id (`operator:tok_...`, `agent:<id>`) is, in a person's words. */
export type NameOf = (actor: string) => string;

/** An ISO time as `2026-12-01 04:13:50 UTC`, whatever the reader's zone. */
export function utc(iso: string): string {
  const time = new Date(iso);
  const at = Number.isNaN(time.getTime()) ? iso : time.toISOString();
  return `${at.slice(0, 10)} ${at.slice(11, 19)} UTC`;
}

/**
 * A task's incident report in Markdown: what it is, where it stands, and everything its events
 * tell (moves, decisions, agents, failures, the timeline), oldest first, times in UTC. Pure: the
 * same task and events always give the same text.
 */
export function incidentReport(task: TaskView, events: readonly EventEnvelope[], names: NameOf): string {
  const log = oldestFirst(events);
  const moves = taskMoves(log);
  const decisions = taskDecisions(log);
  const agents = taskAgentIds(task, log);
  const failures = taskFailures(log);
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const lines = [
    `# ${oneLine(task.title)}`,
    '',
    `- Task: \`${task.id}\` (project ${task.projectId})`,
    `- Status: **${statusLabels[task.status]}**${task.blockedReason ? ` (${oneLine(task.blockedReason)})` : ''}`,
    `- Priority: ${task.priority}${task.labels.length > 0 ? ` · labels: ${task.labels.join(', ')}` : ''}`,
    `- Assignee: ${task.agentId ? names(`agent:${task.agentId}`) : 'unassigned'}`,
    `- Created ${utc(task.createdAt)}, last changed ${utc(task.updatedAt)}`,
    '',
    `**Summary:** ${statusLabels[task.status]} after ${count(moves.length, 'move')}, ${count(decisions.length, 'decision')}, ${count(failures.length, 'failure')}, ${count(agents.length, 'agent')}, ${count(log.length, 'event')}.`,
  ];
  if (task.description) lines.push('', '## Description', '', task.description.trim());
  lines.push('', '## Transitions', '');
  if (moves.length === 0) lines.push('None.');
  for (const m of moves) lines.push(`- ${utc(m.at)}: ${statusLabels[m.from]} → ${statusLabels[m.to]} by ${names(m.by)}${m.reason ? `: ${oneLine(m.reason)}` : ''}`);
  lines.push('', '## Decisions', '');
  if (decisions.length === 0) lines.push('None.');
  for (const d of decisions) {
    const ending = d.status === 'pending' ? 'pending' : `${d.status}${d.outcome ? `: ${d.outcome}` : ''}${d.by ? ` by ${names(d.by)}` : ''}`;
    lines.push(`- ${utc(d.askedAt)}: ${oneLine(d.title)} (risk ${d.risk}, asked by ${names(d.askedBy)}) → ${ending}`);
  }
  lines.push('', '## Agents', '');
  if (agents.length === 0) lines.push('None.');
  for (const id of agents) lines.push(`- ${names(`agent:${id}`)} (\`${id}\`)`);
  lines.push('', '## Failures', '');
  if (failures.length === 0) lines.push('None.');
  for (const f of failures) lines.push(`- ${utc(f.at)}: ${f.agentId ? names(`agent:${f.agentId}`) : 'an agent'} failed: ${oneLine(f.error)}`);
  lines.push('', '## Timeline', '');
  if (log.length === 0) lines.push('No events.');
  for (const e of log) lines.push(`- ${utc(e.recordedAt)} \`${e.type}\` by ${names(e.actor)}${eventDetail(e, names)}`);
  return `${lines.join('\n')}\n`;
}

/** The file name the report downloads as. */
export function reportFileName(taskId: string): string {
  return `task-${taskId.replace(/[^A-Za-z0-9_.-]/g, '_')}.md`;
}

/** What an event of the task says, after its type and who (`: todo → blocked (reason)`); empty for other kinds. */
export function eventDetail(e: EventEnvelope, names: NameOf): string {
  const d = e.data;
  switch (e.type) {
    case 'task.created':
      return `: ${oneLine(String(d.title ?? ''))}`;
    case 'task.transitioned':
      return `: ${String(d.from)} → ${String(d.to)}${typeof d.reason === 'string' ? ` (${oneLine(d.reason)})` : ''}`;
    case 'task.assigned':
      return typeof d.agentId === 'string' ? `: to ${names(`agent:${d.agentId}`)}` : '';
    case 'decision.requested':
      return `: ${oneLine(String(d.title ?? ''))}`;
    case 'decision.resolved':
      return `: ${String(d.outcome)}`;
    case 'agent.failed':
      return `: ${oneLine(String(d.error ?? ''))}`;
    default:
      return '';
  }
}

/** Text that stays on its Markdown line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

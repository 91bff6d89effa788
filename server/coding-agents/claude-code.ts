import { HubError } from '../errors.ts';
import type { HookAdapter, HookCall, HookEventType, SessionRef } from './model.ts';

type Payload = Record<string, unknown>;

const text = (p: Payload, field: string): string | null => (typeof p[field] === 'string' ? (p[field] as string) : null);
const object = (p: Payload, field: string): Record<string, unknown> =>
  typeof p[field] === 'object' && p[field] !== null && !Array.isArray(p[field]) ? (p[field] as Record<string, unknown>) : {};

/** Claude Code's hook events, each read into the hub's event (hooks reference: code.claude.com/docs/en/hooks). */
const readers: Record<string, (p: Payload) => Pick<HookCall, 'type' | 'data' | 'gate'>> = {
  SessionStart: (p) => ({ type: 'session.started', data: { source: text(p, 'source'), model: text(p, 'model') } }),
  UserPromptSubmit: (p) => ({ type: 'session.prompted', data: { prompt: text(p, 'prompt') ?? '' } }),
  PreToolUse: (p) => toolRequest(p, 'PreToolUse'),
  PermissionRequest: (p) => toolRequest(p, 'PermissionRequest'),
  PostToolUse: (p) => ({ type: 'tool.completed', data: { tool: toolName(p), input: object(p, 'tool_input'), response: p.tool_response ?? null, toolUseId: text(p, 'tool_use_id') } }),
  PostToolUseFailure: (p) => ({
    type: 'tool.failed',
    data: { tool: toolName(p), input: object(p, 'tool_input'), error: text(p, 'error') ?? 'no error given', interrupted: p.is_interrupt === true, toolUseId: text(p, 'tool_use_id') },
  }),
  Notification: (p) => ({ type: 'session.notified', data: { message: text(p, 'message') ?? '', notificationType: text(p, 'notification_type'), title: text(p, 'title') } }),
  Stop: (p) => ({ type: 'session.stopped', data: { subagent: false, stopHookActive: p.stop_hook_active === true } }),
  SubagentStop: (p) => ({ type: 'session.stopped', data: { subagent: true, stopHookActive: p.stop_hook_active === true } }),
  PreCompact: (p) => ({ type: 'session.compacting', data: { trigger: text(p, 'trigger'), instructions: text(p, 'custom_instructions') } }),
  SessionEnd: (p) => ({ type: 'session.ended', data: { reason: text(p, 'reason') } }),
};

function toolName(p: Payload): string {
  const name = text(p, 'tool_name');
  if (name === null || name === '') throw new HubError('validation_failed', `a ${String(p.hook_event_name)} hook names its tool in tool_name`, [{ path: '/tool_name', message: 'must be a non-empty string' }]);
  return name;
}

function toolRequest(p: Payload, hook: string): Pick<HookCall, 'type' | 'data' | 'gate'> {
  const tool = toolName(p);
  const input = object(p, 'tool_input');
  const toolUseId = text(p, 'tool_use_id');
  return { type: 'tool.requested', data: { hook, tool, input, toolUseId }, gate: { tool, input, toolUseId } };
}

/** Claude Code: HTTP hooks (`"type": "http"`) and `mc hook claude-code` send the same JSON. */
export const claudeCode: HookAdapter = {
  vendor: 'claude-code',
  agentPrefix: 'cc',

  read(payload) {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new HubError('validation_failed', 'a Claude Code hook sends a JSON object (its hook input)');
    }
    const p = payload as Payload;
    const hook = text(p, 'hook_event_name');
    if (hook === null || hook === '') throw new HubError('validation_failed', 'the hook input names its event in hook_event_name', [{ path: '/hook_event_name', message: 'must be a non-empty string' }]);
    const id = text(p, 'session_id');
    if (id === null || !/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/.test(id)) {
      throw new HubError('validation_failed', 'the hook input names its session in session_id (letters, digits and `_.:-`, at most 100)', [{ path: '/session_id', message: 'must be a session id' }]);
    }
    const session: SessionRef = { id, cwd: text(p, 'cwd'), transcriptPath: text(p, 'transcript_path') };
    const reader = Object.hasOwn(readers, hook) ? readers[hook] : undefined;
    if (reader === undefined) return { hook, session, type: 'session.hook_unknown' satisfies HookEventType, data: { hookEventName: hook, payload: p } };
    return { hook, session, ...reader(p) };
  },

  answer(call, verdict) {
    if (verdict === undefined) return {};
    if (call.hook === 'PreToolUse') {
      return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: verdict.decision, permissionDecisionReason: verdict.reason } };
    }
    // PermissionRequest: allow or deny in place of the dialog; ask shows the dialog (no opinion).
    if (verdict.decision === 'ask') return {};
    const decision = verdict.decision === 'allow' ? { behavior: 'allow' } : { behavior: 'deny', message: verdict.reason };
    return { hookSpecificOutput: { hookEventName: 'PermissionRequest', decision } };
  },
};

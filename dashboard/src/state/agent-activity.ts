import { callOf } from './feed-summary.ts';
import type { AgentView, DecisionStatus, EventEnvelope, Risk } from './types.ts';

// What an agent's page shows besides its output, folded from its events as they carry it: nothing
// is filled in that the events do not say.

export interface DecisionLine {
  id: string;
  title: string;
  risk: Risk | undefined;
  status: DecisionStatus;
  outcome: string | undefined;
  by: string | undefined;
  at: string;
  seq: number;
}

export interface ToolCall {
  /** The coding agent's tool-use id, else the first event's id. */
  key: string;
  tool: string;
  /** Its command or file, else its input as JSON. */
  call: string;
  /** The policy's verdict on the request (`allow`, `deny`, `ask`, a risk tier). */
  verdict: string | undefined;
  status: 'requested' | 'completed' | 'failed';
  error: string | undefined;
  at: string;
  seq: number;
}

export interface Run {
  model: string | undefined;
  estimatedCostUsd: number | undefined;
  /** Undefined while the run has not completed. */
  tokensIn: number | undefined;
  tokensOut: number | undefined;
  costUsd: number | undefined;
  at: string;
  seq: number;
}

export interface Commit {
  sha: string;
  message: string;
  author: string;
  files: number;
  /** Lines added and removed over the files git counts lines of (binary files have none). */
  added: number;
  removed: number;
  at: string;
}

export interface WorkspaceFinish {
  branch: string;
  base: string;
  head: string;
  commits: number;
  files: number;
  added: number;
  removed: number;
  diff: string;
  truncated: boolean;
}

export interface MergeState {
  status: 'requested' | 'approved' | 'merged' | 'failed' | 'denied';
  decisionId: string | undefined;
  by: string | undefined;
  base: string | undefined;
  mode: string | undefined;
  sha: string | undefined;
  reason: string | undefined;
  conflicts: readonly string[];
  at: string;
}

export interface AgentActivity {
  /** Its spawn request's `respawnOf`: the failed agent it starts again. */
  respawnOf: string | undefined;
  spawned: { runner: string; pid: number | undefined } | undefined;
  failure: { error: string; code: number | null; signal: string | null; stderrTail: readonly string[]; at: string } | undefined;
  paused: { reason: string; by: string | undefined; comment: string | undefined; at: string } | undefined;
  exited: { code: number | null; signal: string | null; stoppedBy: string | undefined; at: string } | undefined;
  /** Newest first. */
  decisions: readonly DecisionLine[];
  tools: readonly ToolCall[];
  runs: readonly Run[];
  commits: readonly Commit[];
  finished: WorkspaceFinish | undefined;
  merge: MergeState | undefined;
  lastSeq: number;
}

export const emptyActivity: AgentActivity = {
  respawnOf: undefined,
  spawned: undefined,
  failure: undefined,
  paused: undefined,
  exited: undefined,
  decisions: [],
  tools: [],
  runs: [],
  commits: [],
  finished: undefined,
  merge: undefined,
  lastSeq: 0,
};

/** The most of each list kept (newest): a chatty coding agent's page stays light. */
export const activityCap = 200;

/** The types the page reads the activity from (its output is read apart). */
export const activityTypes = [
  'agent.spawn_requested', 'agent.spawned', 'agent.paused', 'agent.resumed', 'agent.failed', 'agent.exited',
  'decision.*', 'tool.*', 'run.*', 'workspace.*',
] as const;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** Folds events (any order; those at or below `lastSeq` are skipped) into the activity. */
export function withActivity(activity: AgentActivity, events: readonly EventEnvelope[]): AgentActivity {
  let next = activity;
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    if (event.seq <= next.lastSeq) continue;
    next = { ...fold(next, event), lastSeq: event.seq };
  }
  return next;
}

function fold(a: AgentActivity, event: EventEnvelope): AgentActivity {
  const d = event.data as Record<string, unknown>;
  const at = event.recordedAt;
  switch (event.type) {
    case 'agent.spawn_requested':
      return { ...a, respawnOf: str(d.respawnOf) };
    case 'agent.spawned':
      return { ...a, spawned: { runner: str(d.runner) ?? '', pid: num(d.pid) }, failure: undefined, exited: undefined };
    case 'agent.paused':
      return { ...a, paused: { reason: str(d.reason) ?? '', by: str(d.by), comment: str(d.comment), at } };
    case 'agent.resumed':
      return { ...a, paused: undefined };
    case 'agent.failed': {
      const tail = Array.isArray(d.stderrTail) ? d.stderrTail.filter((l): l is string => typeof l === 'string') : [];
      return { ...a, failure: { error: str(d.error) ?? '', code: num(d.code) ?? null, signal: str(d.signal) ?? null, stderrTail: tail, at } };
    }
    case 'agent.exited':
      return { ...a, exited: { code: num(d.code) ?? null, signal: str(d.signal) ?? null, stoppedBy: str(d.stoppedBy), at } };
    case 'decision.requested':
      if (event.decisionId === undefined) return a;
      return { ...a, decisions: capped([{ id: event.decisionId, title: str(d.title) ?? event.decisionId, risk: str(d.risk) as Risk | undefined, status: 'pending', outcome: undefined, by: undefined, at, seq: event.seq }, ...a.decisions]) };
    case 'decision.resolved':
    case 'decision.expired':
    case 'decision.cancelled':
      return settled(a, event);
    case 'tool.requested':
    case 'tool.completed':
    case 'tool.failed':
      return { ...a, tools: withTool(a.tools, event) };
    case 'run.started':
      return { ...a, runs: capped([{ model: str(d.model), estimatedCostUsd: num(d.estimatedCostUsd), tokensIn: undefined, tokensOut: undefined, costUsd: undefined, at, seq: event.seq }, ...a.runs]) };
    case 'run.completed':
      return { ...a, runs: withCompletedRun(a.runs, event) };
    case 'workspace.committed': {
      const files = Array.isArray(d.files) ? (d.files as Array<{ added?: unknown; removed?: unknown }>) : [];
      const sum = (key: 'added' | 'removed') => files.reduce((n, f) => n + (num(f[key]) ?? 0), 0);
      const commit = { sha: str(d.sha) ?? '', message: str(d.message) ?? '', author: str(d.author) ?? '', files: files.length, added: sum('added'), removed: sum('removed'), at };
      return { ...a, commits: capped([commit, ...a.commits]) };
    }
    case 'workspace.finished':
      return {
        ...a,
        finished: {
          branch: str(d.branch) ?? '', base: str(d.base) ?? '', head: str(d.head) ?? '', commits: num(d.commits) ?? 0, files: num(d.files) ?? 0,
          added: num(d.added) ?? 0, removed: num(d.removed) ?? 0, diff: str(d.diff) ?? '', truncated: d.truncated === true,
        },
      };
    case 'workspace.merge_requested':
      return { ...a, merge: { status: 'requested', decisionId: event.decisionId, by: str(d.by), base: str(d.base), mode: str(d.mode), sha: undefined, reason: undefined, conflicts: [], at } };
    case 'workspace.merge_approved':
    case 'workspace.merged':
    case 'workspace.merge_failed': {
      const status = event.type === 'workspace.merge_approved' ? 'approved' : event.type === 'workspace.merged' ? 'merged' : 'failed';
      const conflicts = Array.isArray(d.conflicts) ? d.conflicts.filter((c): c is string => typeof c === 'string') : [];
      const base = a.merge ?? { decisionId: event.decisionId, by: undefined, base: str(d.base), mode: str(d.mode), sha: undefined, reason: undefined, conflicts: [] };
      return { ...a, merge: { ...base, status, sha: str(d.sha) ?? base.sha, reason: str(d.reason), conflicts, at } };
    }
    default:
      return a;
  }
}

function capped<T>(items: T[]): T[] {
  return items.length > activityCap ? items.slice(0, activityCap) : items;
}

function settled(a: AgentActivity, event: EventEnvelope): AgentActivity {
  const d = event.data as Record<string, unknown>;
  const status: DecisionStatus = event.type === 'decision.resolved' ? 'resolved' : event.type === 'decision.expired' ? 'expired' : 'cancelled';
  const decisions = a.decisions.map((line) => (line.id === event.decisionId ? { ...line, status, outcome: str(d.outcome), by: str(d.by) } : line));
  // A merge's decision that does not approve ends the merge there.
  const denied = a.merge?.status === 'requested' && a.merge.decisionId === event.decisionId && str(d.outcome) !== 'approve';
  return { ...a, decisions, merge: denied ? { ...a.merge!, status: 'denied', at: event.recordedAt } : a.merge };
}

function withTool(tools: readonly ToolCall[], event: EventEnvelope): ToolCall[] {
  const d = event.data as Record<string, unknown>;
  const key = str(d.toolUseId) ?? event.id;
  const status = event.type === 'tool.requested' ? 'requested' : event.type === 'tool.completed' ? 'completed' : 'failed';
  const known = tools.find((t) => t.key === key);
  if (known) return tools.map((t) => (t === known ? { ...t, status, error: str(d.error) } : t));
  const policy = (d.policy ?? {}) as Record<string, unknown>;
  const call: ToolCall = { key, tool: str(d.tool) ?? '', call: callOf(d.input), verdict: str(policy.verdict), status, error: str(d.error), at: event.recordedAt, seq: event.seq };
  return capped([call, ...tools]);
}

/** A completion closes the newest open run (of its model, when it names one), else stands alone. */
function withCompletedRun(runs: readonly Run[], event: EventEnvelope): Run[] {
  const d = event.data as Record<string, unknown>;
  const model = str(d.model);
  const done = { tokensIn: num(d.tokensIn) ?? 0, tokensOut: num(d.tokensOut) ?? 0, costUsd: num(d.costUsd) ?? 0 };
  const open = runs.findIndex((r) => r.costUsd === undefined && (model === undefined || r.model === undefined || r.model === model));
  if (open < 0) return capped([{ model, estimatedCostUsd: undefined, ...done, at: event.recordedAt, seq: event.seq }, ...runs]);
  return runs.map((r, i) => (i === open ? { ...r, model: r.model ?? model, ...done } : r));
}

/** What the completed runs shown add up to. */
export function runTotals(runs: readonly Run[]): { runs: number; tokensIn: number; tokensOut: number; costUsd: number } {
  const done = runs.filter((r) => r.costUsd !== undefined);
  return {
    runs: done.length,
    tokensIn: done.reduce((n, r) => n + (r.tokensIn ?? 0), 0),
    tokensOut: done.reduce((n, r) => n + (r.tokensOut ?? 0), 0),
    costUsd: done.reduce((n, r) => n + (r.costUsd ?? 0), 0),
  };
}

/** Whether a merge may be asked for (the hub decides; this only offers the button): a finished branch with commits, no merge pending or done. */
export function mergeable(agent: Pick<AgentView, 'status'>, activity: AgentActivity): boolean {
  if (agent.status !== 'exited' && agent.status !== 'failed') return false;
  if (!activity.finished || activity.finished.commits === 0) return false;
  return activity.merge === undefined || activity.merge.status === 'failed' || activity.merge.status === 'denied';
}

/** Pending decisions first (oldest first), then the settled ones, newest first. */
export function decisionOrder(decisions: readonly DecisionLine[]): DecisionLine[] {
  const pending = decisions.filter((d) => d.status === 'pending').sort((a, b) => a.seq - b.seq);
  return [...pending, ...decisions.filter((d) => d.status !== 'pending')];
}

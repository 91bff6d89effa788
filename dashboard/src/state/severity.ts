import type { AgentView } from './types.ts';

/** How much something asks for an operator's attention, most first. */
export type Severity = 'failure' | 'warning' | 'success' | 'info';

/** Events that are failures whatever their data: something broke, was stopped or went missing. */
const failures = new Set(['agent.failed', 'agent.lost', 'tool.failed', 'workspace.merge_failed', 'heal.escalated', 'budget.exceeded', 'hub.loop_detected']);
/** Events worth a look before they become failures. */
const warnings = new Set(['budget.warning', 'agent.stale', 'decision.expired', 'runner.offline']);
/** Events that close something well. */
const successes = new Set(['heal.completed', 'workspace.merged', 'agent.recovered']);

/**
 * An event's severity, from its type and, for denials and exits, its data: failures, denials
 * (a decision answered `deny`, a tool call the policy denied), budget stops, loops and lost
 * agents are failures; budget warnings, stale agents and expired decisions are warnings.
 */
export function eventSeverity(event: { type: string; data?: unknown }): Severity {
  if (failures.has(event.type)) return 'failure';
  if (warnings.has(event.type)) return 'warning';
  if (successes.has(event.type)) return 'success';
  const d = (event.data ?? {}) as Record<string, unknown>;
  switch (event.type) {
    case 'decision.resolved':
      return d.outcome === 'deny' ? 'failure' : 'success';
    case 'tool.requested':
      return ((d.policy ?? {}) as Record<string, unknown>).verdict === 'deny' ? 'failure' : 'info';
    case 'agent.exited':
      if (d.stoppedBy !== undefined || d.code === null || d.code === undefined) return 'info';
      return d.code === 0 ? 'success' : 'failure';
    case 'task.transitioned':
      return d.to === 'blocked' ? 'warning' : d.to === 'done' ? 'success' : 'info';
    default:
      return 'info';
  }
}

/**
 * The severity of a state word: an agent, task, decision or connection status, a risk, a tool
 * verdict or an answer (`failed`, `lost`, `deny`, `high` are failures; `stale`, `blocked`,
 * `medium` warnings; `running`, `done`, `allow` successes). Unknown words are info.
 */
export function stateSeverity(value: string): Severity {
  return stateSeverities[value] ?? eventSeverity({ type: value });
}

const stateSeverities: Readonly<Record<string, Severity>> = {
  failed: 'failure',
  lost: 'failure',
  offline: 'failure',
  high: 'failure',
  red: 'failure',
  deny: 'failure',
  denied: 'failure',
  stale: 'warning',
  paused: 'warning',
  awaiting_decision: 'warning',
  spawning: 'warning',
  reconnecting: 'warning',
  review: 'warning',
  blocked: 'warning',
  expired: 'warning',
  medium: 'warning',
  ask: 'warning',
  running: 'success',
  connected: 'success',
  done: 'success',
  resolved: 'success',
  low: 'success',
  allow: 'success',
  approve: 'success',
  completed: 'success',
  merged: 'success',
};

/** An agent's severity: its status, except that an agent paused by its budget is a budget stop. */
export function agentSeverity(agent: Pick<AgentView, 'status' | 'pausedReason'>): Severity {
  if (agent.status === 'paused' && agent.pausedReason === 'budget') return 'failure';
  return stateSeverity(agent.status);
}

/** The words a severity is read as, for screen readers and for people who do not tell the colours apart. */
export const severityLabels: Readonly<Record<Severity, string>> = { failure: 'failure', warning: 'warning', success: 'success', info: '' };

import { type Task, type TaskChange, isWorking } from './rules.ts';

/** A loop the hub saw, as `hub.loop_detected` records it. */
export interface LoopFinding {
  kind: 'repeated_failure' | 'ping_pong';
  count: number;
  detail: string;
  agentIds: string[];
}

// The log's text fields stop at 4000 characters; the error quoted in a reason is cut to fit.
const maxQuoted = 3000;

/** A loop needs at least two occurrences, whatever the configuration says. */
export function loopThreshold(configured: number): number {
  return Math.max(2, configured);
}

/** The window in whole seconds, as `hub.loop_detected` carries it (at least 1). */
export function windowSeconds(windowMs: number): number {
  return Math.max(1, Math.round(windowMs / 1000));
}

/** The same failure `count` times within the window is a loop once `count` reaches the threshold. */
export function repeatedFailure(agentId: string, error: string, count: number, threshold: number): LoopFinding | undefined {
  if (count < loopThreshold(threshold)) return undefined;
  const quoted = error.length > maxQuoted ? `${error.slice(0, maxQuoted)}…` : error;
  return { kind: 'repeated_failure', count, detail: `loop: ${agentId} failed ${count} times with ${quoted}`, agentIds: [agentId] };
}

/**
 * The last `threshold` assignments (newest first) going back and forth between exactly two
 * agents, A, B, A, B, is a loop.
 */
export function pingPong(taskId: string, assignees: readonly string[], threshold: number): LoopFinding | undefined {
  const n = loopThreshold(threshold);
  if (assignees.length < n) return undefined;
  const recent = assignees.slice(0, n);
  const agents = [...new Set(recent)];
  if (agents.length !== 2 || recent.some((a, i) => i > 0 && a === recent[i - 1])) return undefined;
  const [a, b] = [...agents].sort() as [string, string];
  return { kind: 'ping_pong', count: n, detail: `loop: task ${taskId} was handed back and forth between ${a} and ${b} ${n} times`, agentIds: [a, b] };
}

/** The events that record a loop and block its task: none when the task is finished or already blocked. */
export function blockForLoop(task: Task, finding: LoopFinding, windowMs: number): Array<TaskChange | { type: 'hub.loop_detected'; data: Record<string, unknown> }> {
  if (!isWorking(task)) return [];
  return [
    { type: 'task.transitioned', data: { from: task.status, to: 'blocked', reason: finding.detail } },
    { type: 'hub.loop_detected', data: { kind: finding.kind, count: finding.count, windowSec: windowSeconds(windowMs), detail: finding.detail, agentIds: finding.agentIds } },
  ];
}

import { taskTransitions } from '../../contracts/views.ts';
import type { EventEnvelope } from '../../contracts/index.ts';
import { type Role, type TaskPriority, type TaskStatus, workingTaskStatuses } from '../../contracts/vocabulary.ts';
import { aRole } from '../auth/roles.ts';
import { HubError } from '../errors.ts';
import type { Task, TaskChange } from './model.ts';

/**
 * An agent's report names only its own task: one the board assigns to it, or the one its agent
 * row holds (assigned, or given at spawn by an operator). Else a 403 that says which it may name.
 */
export function refuseForeignTask(agentId: string, taskId: string, task: Task | undefined, agentTaskId: string | null): HubError | undefined {
  if (task?.agentId === agentId || agentTaskId === taskId) return undefined;
  const whose = task === undefined ? 'is not on the board' : task.agentId === null ? 'is assigned to no agent' : `is assigned to agent "${task.agentId}"`;
  const own = agentTaskId !== null ? `its task "${agentTaskId}"` : 'a task assigned to it';
  return new HubError('forbidden', `agent "${agentId}" may name only its own task: "${taskId}" ${whose}; name ${own} (GET /tasks?agent=${agentId} lists them), or leave taskId out`);
}

/** The board's state machine (shared with the dashboard). */
export const transitions = taskTransitions;

/** The moves an agent may make on its own task: never to done or cancelled. */
const agentMoves: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  todo: ['in_progress'],
  in_progress: ['review', 'blocked'],
  review: [],
  blocked: ['in_progress'],
  done: [],
  cancelled: [],
};

/** The moves the healer may make on the task of an agent that failed: back to todo, by way of blocked as the board asks. */
const healerMoves: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  todo: [],
  in_progress: ['blocked'],
  review: ['blocked'],
  blocked: ['todo'],
  done: [],
  cancelled: [],
};

/** True when the task can still move and is not already blocked: the tasks a loop can block. */
export function isWorking(task: Task): boolean {
  return workingTaskStatuses.includes(task.status);
}

/** An agent moves its own tasks, and takes an unassigned one from todo. */
function agentMayTouch(task: Task, agentId: string | null): boolean {
  return agentId !== null && (task.agentId === agentId || (task.agentId === null && task.status === 'todo'));
}

/** Where this caller may move the task from its current state (the healer: only when the task's agent failed). */
export function allowedMoves(task: Task, role: Role, agentId: string | null, assigneeFailed = false): readonly TaskStatus[] {
  if (role === 'operator' || role === 'admin') return transitions[task.status];
  if (role === 'healer') return assigneeFailed ? healerMoves[task.status] : [];
  if (role === 'agent' && agentMayTouch(task, agentId)) return agentMoves[task.status];
  return [];
}

/** What a caller asks: the target state, who asks, and optionally the agent the task goes to with the move. */
export interface MoveCommand {
  to: TaskStatus;
  role: Role;
  /** The caller's own agent id (agent tokens only). */
  agentId: string | null;
  reason?: string;
  /** Hand the task to this agent with the move. */
  assignTo?: string;
  /** The agent the task is assigned to has failed: the one case the healer may move it. */
  assigneeFailed?: boolean;
}

/** Decides a move: the events to append (an assignment first, when the move hands the task over); a HubError says why not. */
export function decide(task: Task, command: MoveCommand): TaskChange[] {
  const { to, role, agentId } = command;
  const allowed = allowedMoves(task, role, agentId, command.assigneeFailed);
  if (!transitions[task.status].includes(to)) {
    const final = transitions[task.status].length === 0 ? ` (${task.status} is final)` : '';
    throw new HubError('conflict', `cannot move task ${task.id} from ${task.status} to ${to}; allowed: ${allowed.join(', ') || 'none'}${final}`);
  }
  if (!allowed.includes(to)) {
    if (role === 'healer' && command.assigneeFailed !== true) {
      throw new HubError('forbidden', `the healer moves a task only when its agent has failed; task ${task.id}'s agent (${task.agentId ?? 'none'}) has not: an operator can move it`);
    }
    if (role === 'agent' && !agentMayTouch(task, agentId)) {
      const owner = task.agentId === null ? `unassigned and ${task.status}` : `assigned to ${task.agentId}`;
      throw new HubError('forbidden', `task ${task.id} is ${owner}; an agent moves only its own tasks, or takes an unassigned todo task`);
    }
    throw new HubError('forbidden', `${aRole(role)} may not move a task from ${task.status} to ${to}; it may move this one to: ${allowed.join(', ') || 'nothing'}; an operator can make the other moves`);
  }
  if (role === 'agent' && command.assignTo !== undefined && command.assignTo !== agentId) {
    throw new HubError('forbidden', `an agent may not hand a task to another agent (${command.assignTo}); an operator can`);
  }
  if (role === 'healer' && command.assignTo !== undefined) {
    throw new HubError('forbidden', `the healer may not hand a task to an agent (${command.assignTo}); an operator can`);
  }
  // An agent that starts an unassigned task takes it.
  const taking = role === 'agent' && task.agentId === null ? agentId : null;
  const assignee = command.assignTo ?? taking;
  const changes: TaskChange[] = [];
  if (assignee !== null && assignee !== task.agentId) changes.push({ type: 'task.assigned', data: { agentId: assignee } });
  const reason = command.reason !== undefined ? { reason: command.reason } : {};
  changes.push({ type: 'task.transitioned', data: { from: task.status, to, ...reason } });
  return changes;
}

/** Folds one `task.*` event into the task it names; anything else (or an unknown task) leaves it as it is. */
export function evolve(task: Task | undefined, event: EventEnvelope): Task | undefined {
  const data = event.data;
  const stamp = { updatedAt: event.recordedAt, lastSeq: event.seq };
  switch (event.type) {
    case 'task.created': {
      if (task !== undefined || event.taskId === undefined) return task;
      return {
        id: event.taskId,
        title: data.title as string,
        description: (data.description as string | undefined) ?? null,
        priority: data.priority as TaskPriority,
        labels: data.labels as string[],
        projectId: (data.projectId as string | undefined) ?? 'default',
        status: 'todo',
        agentId: null,
        blockedReason: null,
        statusBeforeBlock: null,
        createdAt: event.recordedAt,
        createdSeq: event.seq,
        ...stamp,
      };
    }
    case 'task.assigned':
      return task && { ...task, agentId: data.agentId as string, ...stamp };
    case 'task.transitioned': {
      if (task === undefined) return undefined;
      const to = data.to as TaskStatus;
      if (to === 'blocked') return { ...task, status: to, blockedReason: (data.reason as string | undefined) ?? null, statusBeforeBlock: task.status, ...stamp };
      return { ...task, status: to, blockedReason: null, statusBeforeBlock: null, ...stamp };
    }
    default:
      return task;
  }
}

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

import type { Transaction } from 'kysely';
import type { EventEnvelope } from '../../contracts/index.ts';
import { isAgentAsk, isAgentReport } from '../agents/model.ts';
import { findAgent } from '../agents/store.ts';
import type { HubConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { NewEvent, Projection } from '../log/event.ts';
import { eventOf } from '../log/command.ts';
import type { Task } from './model.ts';
import { type LoopFinding, blockForLoop, evolve, isWorking, loopThreshold, pingPong, refuseForeignTask, repeatedFailure } from './rules.ts';
import { countSameFailures, findTask, findWorkingTask, lastLoopAlertSeq, recentAssignees, saveTask } from './store.ts';

const taskEvents = new Set(['task.created', 'task.assigned', 'task.transitioned']);
/** The events `detectLoops` looks at. */
const loopEvents = new Set(['agent.failed', 'task.assigned']);

/** The tasks view: folds `task.*` events into the board, blocks tasks caught in a loop, and keeps agents' reports to their own tasks. */
export function tasksProjection(loops: HubConfig['loops']): Projection {
  return {
    name: 'tasks',
    tables: ['tasks'],
    // apply: a task's own events; react (detectLoops): failures and assignments.
    concerns: (event) => (taskEvents.has(event.type) && event.taskId !== undefined) || loopEvents.has(event.type),
    async apply(trx, event) {
      if (!taskEvents.has(event.type) || event.taskId === undefined) return;
      const current = await findTask(trx, event.taskId);
      const next = evolve(current, event);
      if (next !== undefined && next !== current) await saveTask(trx, next);
    },
    react: detectLoops(loops),
    guard: { applies: (event) => event.taskId !== null && (isAgentReport(event) || isAgentAsk(event)), check: guardAgentTask },
  };
}

/** Refuses (403) an agent's report that names a task other than its own. */
export async function guardAgentTask(trx: Transaction<Database>, event: NewEvent): Promise<void> {
  const agentId = event.agentId!;
  const taskId = event.taskId!;
  const task = await findTask(trx, taskId);
  if (task?.agentId === agentId) return;
  // Not on the board as its own: the task it was spawned for still is.
  const agent = await findAgent(trx, agentId);
  const refusal = refuseForeignTask(agentId, taskId, task, agent?.taskId ?? null);
  if (refusal !== undefined) throw refusal;
}

type LoopConfig = HubConfig['loops'];

/**
 * Watches the log for loops: an agent repeating the same failure, or a task handed back and
 * forth between two agents, within the window. Reads only the log and the tasks table, and
 * compares the events' own times, so the answer does not depend on when it runs.
 */
export function detectLoops(config: LoopConfig): (trx: Transaction<Database>, event: EventEnvelope) => Promise<NewEvent[]> {
  return async (trx, event) => {
    if (event.type === 'agent.failed') return onFailure(trx, event, config);
    if (event.type === 'task.assigned') return onAssignment(trx, event, config);
    return [];
  };
}

async function onFailure(trx: Transaction<Database>, event: EventEnvelope, config: LoopConfig): Promise<NewEvent[]> {
  const agentId = event.agentId;
  if (agentId === undefined) return [];
  const task = event.taskId !== undefined ? await findTask(trx, event.taskId) : await findWorkingTask(trx, agentId);
  if (task === undefined || !isWorking(task)) return [];
  const afterSeq = await lastLoopAlertSeq(trx, task.id);
  const error = event.data.error as string;
  const count = await countSameFailures(trx, {
    agentId,
    signature: event.data.signature as string | undefined,
    error,
    afterSeq,
    uptoSeq: event.seq,
    since: windowStart(event, config),
  });
  const finding = repeatedFailure(agentId, error, count, config.sameFailureCount);
  return finding ? block(task, finding, event, afterSeq, config) : [];
}

async function onAssignment(trx: Transaction<Database>, event: EventEnvelope, config: LoopConfig): Promise<NewEvent[]> {
  if (event.taskId === undefined) return [];
  const task = await findTask(trx, event.taskId);
  if (task === undefined || !isWorking(task)) return [];
  const afterSeq = await lastLoopAlertSeq(trx, task.id);
  const assignees = await recentAssignees(trx, {
    taskId: task.id,
    afterSeq,
    uptoSeq: event.seq,
    since: windowStart(event, config),
    limit: loopThreshold(config.handoffCount),
  });
  const finding = pingPong(task.id, assignees, config.handoffCount);
  return finding ? block(task, finding, event, afterSeq, config) : [];
}

function windowStart(event: EventEnvelope, config: LoopConfig): Date {
  return new Date(Date.parse(event.recordedAt) - config.windowMs);
}

/**
 * The hub's events blocking the task. Their keys name the task and the alert before this one, so
 * two causes found in the same transaction (a batch of failures) block it once.
 */
function block(task: Task, finding: LoopFinding, cause: EventEnvelope, afterSeq: number, config: LoopConfig): NewEvent[] {
  const agentId = finding.agentIds.length === 1 ? finding.agentIds[0] : task.agentId;
  return blockForLoop(task, finding, config.windowMs).map((change) =>
    eventOf({ ...change, idempotencyKey: `loop:${change.type === 'hub.loop_detected' ? 'alert' : 'block'}:${task.id}:after:${afterSeq}` }, { actor: 'hub', taskId: task.id, agentId, cause }),
  );
}

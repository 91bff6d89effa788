import { isAgentAsk, isAgentReport } from '../agents/model.ts';
import type { HubConfig } from '../config.ts';
import type { Projection } from '../log/event.ts';
import { guardAgentTask } from './agent-task-guard.ts';
import { findTask } from './find-task.ts';
import { detectLoops } from './loop-detection.ts';
import { evolve } from './rules.ts';
import { saveTask } from './save-task.ts';

const taskEvents = new Set(['task.created', 'task.assigned', 'task.transitioned']);

/** The tasks view: folds `task.*` events into the board, blocks tasks caught in a loop, and keeps agents' reports to their own tasks. */
export function tasksProjection(loops: HubConfig['loops']): Projection {
  return {
    name: 'tasks',
    tables: ['tasks'],
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

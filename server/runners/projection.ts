import type { AgentTemplate } from '../config.ts';
import { eventOf } from '../log/command.ts';
import type { Projection } from '../log/event.ts';
import { evolve, runnerTouched } from './evolve.ts';
import { decideAssignments } from './rules.ts';
import { findRunner, runnerLoads, saveRunner, waitingAgents } from './store.ts';

// What may let a waiting agent start: a new one waits, a runner comes (back), an agent ends and frees its place.
const freesOrWaits = new Set(['agent.spawn_requested', 'runner.registered', 'agent.exited', 'agent.failed']);

/**
 * The runners view, and the spawn queue: `react` places waiting agents on runners in the same
 * transaction as the event that made it possible, so a queued spawn starts as soon as a place is free.
 */
export function runnersProjection(templates: Readonly<Record<string, AgentTemplate>>): Projection {
  return {
    name: 'runners',
    tables: ['runners'],
    concerns: (event) => runnerTouched(event) !== undefined || freesOrWaits.has(event.type),
    async apply(trx, event) {
      const id = runnerTouched(event);
      if (id === undefined) return;
      const runner = await findRunner(trx, id);
      const next = evolve(runner, event);
      if (next !== undefined && next !== runner) await saveRunner(trx, next);
    },
    async react(trx, event) {
      if (!freesOrWaits.has(event.type)) return [];
      const waiting = await waitingAgents(trx);
      if (waiting.length === 0) return [];
      return decideAssignments(waiting, await runnerLoads(trx), templates).map((change) => eventOf(change, { actor: 'hub', cause: event }));
    },
  };
}

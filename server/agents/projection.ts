import type { Projection } from '../log/event.ts';
import { eventOf } from '../log/command.ts';
import { agentsTouched, evolve, isActivityOnly } from './evolve.ts';
import { revokeAgentTokens } from '../auth/tokens.ts';
import { bySelf, isFinal } from './model.ts';
import { recoverOnOwnEvent } from './rules.ts';
import { findAgent, findAgentsTouched, recordActivity, saveAgent } from './store.ts';

/**
 * The agents view. `apply` reads only the rows an event touches (none for most events), and
 * revokes the token of an agent that ended; `react`
 * recovers a stale agent that appends an event itself.
 */
export const agentsProjection: Projection = {
  name: 'agents',
  tables: ['agents'],
  // An event names an agent, assigns one a task or closes its decision (react: only its own events).
  concerns: (event) => agentsTouched(event) !== undefined,
  async apply(trx, event) {
    // Most events of a busy fleet (output lines, tool calls) only say an agent is alive: one write, no read.
    if (isActivityOnly(event)) return recordActivity(trx, event.agentId!, event, event);
    const touched = agentsTouched(event);
    if (touched === undefined) return;
    const agents = await findAgentsTouched(trx, touched);
    for (const agent of agents) {
      const next = evolve(agent, event);
      if (next === undefined || next === agent) continue;
      await saveAgent(trx, next);
      // An agent the hub started speaks no more once it ended: its token goes in the same transaction.
      if (next.template !== null && isFinal(next.status) && !isFinal(agent.status)) await revokeAgentTokens(trx, next.id, new Date(event.recordedAt));
    }
    if (event.agentId !== undefined && !agents.some((a) => a.id === event.agentId)) {
      const created = evolve(undefined, event);
      if (created !== undefined) await saveAgent(trx, created);
    }
  },
  // A run of one agent's activity-only events: one statement for all.
  run: {
    joins: (previous, next) => isActivityOnly(previous) && isActivityOnly(next) && previous.agentId === next.agentId,
    apply: (trx, events) => recordActivity(trx, events[0]!.agentId!, events[0]!, events.at(-1)!),
  },
  async react(trx, event) {
    if (event.agentId === undefined || !bySelf(event)) return [];
    const agent = await findAgent(trx, event.agentId);
    return recoverOnOwnEvent(agent, event).map((change) => eventOf(change, { actor: 'hub', cause: event }));
  },
};

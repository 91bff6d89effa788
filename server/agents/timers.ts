import type { FeatureDeps, TimerJob } from '../feature.ts';
import { handleCommand } from '../log/command.ts';
import type { Agent } from './model.ts';
import { decideStale } from './rules.ts';
import { findAgent, findSilentAgents, lastHeartbeat } from './store.ts';

/**
 * Marks agents stale that were not heard from (heartbeat or event) for `config.agents.staleAfterMs`.
 * The command looks again under the log lock, so a heartbeat or event that just arrived wins.
 */
export function staleAgentsTimer(deps: FeatureDeps): TimerJob {
  const { staleAfterMs } = deps.config.agents;
  return {
    name: 'agents.stale',
    async run(now) {
      const silent = await findSilentAgents(deps.db, new Date(now.getTime() - staleAfterMs));
      if (silent.length === 0) return;
      await handleCommand(
        deps.appender,
        async (trx) => {
          const found: Array<{ agent: Agent; heartbeatAt: string | null }> = [];
          for (const id of silent) {
            const agent = await findAgent(trx, id);
            if (agent !== undefined) found.push({ agent, heartbeatAt: await lastHeartbeat(trx, id) });
          }
          return found;
        },
        (found) => found.flatMap(({ agent, heartbeatAt }) => decideStale(agent, heartbeatAt, now, staleAfterMs)),
        { actor: 'hub' },
      );
    },
  };
}

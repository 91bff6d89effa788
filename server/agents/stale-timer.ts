import type { FeatureDeps, TimerJob } from '../feature.ts';
import { changeEvent } from './change-event.ts';
import { findAgent } from './find-agents.ts';
import { lastHeartbeat } from './heartbeats.ts';
import { type AgentChange, decideStale } from './rules.ts';
import { findSilentAgents } from './silent-agents.ts';

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
      await deps.appender.execute(async (trx) => {
        const changes: AgentChange[] = [];
        for (const id of silent) {
          const agent = await findAgent(trx, id);
          if (agent !== undefined) changes.push(...decideStale(agent, await lastHeartbeat(trx, id), now, staleAfterMs));
        }
        return changes.map((change) => changeEvent(change, 'hub'));
      });
    },
  };
}

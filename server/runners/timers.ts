import type { FeatureDeps, TimerJob } from '../feature.ts';
import { handleCommand } from '../log/command.ts';
import { decideOffline } from './rules.ts';
import { findRunner, placedAgents, silentRunners } from './store.ts';

/**
 * Marks runners offline that have not asked for work for `runners.offlineAfterMs`, and their
 * running agents lost. The command looks again under the log lock, so a runner that just registered wins.
 */
export function offlineRunnersTimer(deps: FeatureDeps): TimerJob {
  const { offlineAfterMs } = deps.config.runners;
  return {
    name: 'runners.offline',
    async run(now) {
      const silent = await silentRunners(deps.db, new Date(now.getTime() - offlineAfterMs));
      for (const { id, lastSeenAt } of silent) {
        await handleCommand(
          deps.appender,
          async (trx) => ({ runner: await findRunner(trx, id), placed: await placedAgents(trx, id) }),
          ({ runner, placed }) => (runner === undefined ? [] : decideOffline(runner, lastSeenAt, placed, now, offlineAfterMs)),
          { actor: 'hub' },
        );
      }
    },
  };
}

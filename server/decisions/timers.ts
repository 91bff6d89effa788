import type { FeatureDeps, TimerJob } from '../feature.ts';
import { expireDecision } from './commands.ts';
import { dueDecisionIds } from './store.ts';

const batch = 100;
const maxBatchesPerTick = 20;

/** Applies `onTimeout` to every pending decision whose deadline has passed. */
export function decisionExpiryTimer(deps: Pick<FeatureDeps, 'db' | 'appender' | 'config'>): TimerJob {
  return {
    name: 'decisions.expiry',
    async run(now) {
      for (let round = 0; round < maxBatchesPerTick; round += 1) {
        const ids = await dueDecisionIds(deps.db, now, batch);
        const results = await Promise.allSettled(ids.map((id) => expireDecision(deps.appender, id, now, deps.config.decisions.defaultExpiresInSec)));
        const failed = results.find((r) => r.status === 'rejected');
        // A failure is retried on the next tick; the others are done.
        if (failed) throw failed.reason;
        const appended = results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0);
        if (ids.length < batch || appended === 0) return;
      }
    },
  };
}

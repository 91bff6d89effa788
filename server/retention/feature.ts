import type { Feature, FeatureDeps, TimerJob } from '../feature.ts';
import { type ArchiveLimits, archiveAged } from './archive.ts';
import { type RetentionRule, retentionRules } from './model.ts';

/** One archive holds at most this many events; a pass moves at most `passEvents`, the next goes on. */
export const archiveLimits: ArchiveLimits = { chunkEvents: 10_000, passEvents: 50_000 };

/** Retention: aged events of high-volume types move from the log into archives, on a timer. */
export const retentionFeature: Feature = (deps) => {
  // Checked at start, naming the entry: a hub never runs with a retention it would refuse.
  const rules = retentionRules(deps.config.retention, deps.contracts.eventTypes);
  return rules.length === 0 ? {} : { timers: [retentionTimer(deps, rules)] };
};

/** Runs a pass every `timers.retentionEveryMs`; a pass is bounded, so a backlog takes several. */
function retentionTimer(deps: FeatureDeps, rules: readonly RetentionRule[]): TimerJob {
  let lastPass = Number.NEGATIVE_INFINITY;
  return {
    name: 'retention',
    async run(now) {
      if (now.getTime() - lastPass < deps.config.timers.retentionEveryMs) return;
      lastPass = now.getTime();
      const pass = await archiveAged(deps.db, rules, now, archiveLimits);
      const moved = Object.values(pass.moved).reduce((a, b) => a + b, 0);
      if (moved > 0) deps.logger.info({ moved: pass.moved, archives: pass.archives }, `retention moved ${moved} events into ${pass.archives} archives`);
    },
  };
}

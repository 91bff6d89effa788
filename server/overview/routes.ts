import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { allow, principalOf } from '../auth/middleware.ts';
import type { HubConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { knownQuery } from '../http/known-query.ts';
import { firstSeqAt } from '../log/first-seq-at.ts';
import { listedProject } from '../projects/scope.ts';
import { countEventsFrom, lastFailures, lastHeals } from './log-window.ts';
import { type Overview, agentsPart, decisionsPart, failureOf, healOf, spendPart } from './rules.ts';
import { agentsByStatus, agentsNeedingAttention, failedFrom, globalSpendByDay, pendingByRisk, snapshotTime } from './store.ts';

const listed = 10;
const spendDays = 7;

/** `GET /overview`: what needs a person and how the fleet is, in one read. */
export function overviewRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  app.get('/', allow('GET /overview'), knownQuery(['project']), async (c) => {
    const principal = principalOf(c);
    const projectId = listedProject(principal, c.req.query('project') || undefined);
    // One snapshot: every figure is of the same moment, and `now()` is the same in every read.
    const overview = await deps.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute((trx) => readOverview(trx, deps.config, projectId, principal.projectId === null));
    return c.json(overview);
  });
  return app;
}

/** The overview of one project (undefined: all); the spend only with `withSpend` (the daily budget spans every project). */
async function readOverview(db: Kysely<Database>, config: HubConfig, projectId: string | undefined, withSpend: boolean): Promise<Overview> {
  const generatedAt = await snapshotTime(db);
  const hourSeq = await firstSeqAt(db, new Date(generatedAt.getTime() - 3_600_000));
  const minuteSeq = await firstSeqAt(db, new Date(generatedAt.getTime() - 60_000));
  const risks = await pendingByRisk(db, projectId);
  const statuses = await agentsByStatus(db, projectId);
  const failedLastHour = await failedFrom(db, hourSeq, projectId);
  const attention = await agentsNeedingAttention(db, hourSeq, projectId, listed);
  const days = withSpend ? await globalSpendByDay(db, spendDays) : undefined;
  const events = await countEventsFrom(db, { minuteSeq, hourSeq }, projectId);
  const failures = await lastFailures(db, projectId, listed);
  const heals = await lastHeals(db, projectId, listed);
  return {
    generatedAt: generatedAt.toISOString(),
    project: projectId ?? null,
    decisions: decisionsPart(risks),
    agents: agentsPart(statuses, failedLastHour, attention, config.agents.staleAfterMs),
    spend: days ? spendPart(days, config.budgets.globalDailyUsd) : null,
    events,
    recent: { failures: failures.map(failureOf), heals: heals.map(healOf) },
  };
}

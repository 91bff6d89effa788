import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Brief } from '../../contracts/views.ts';
import { allow, principalOf } from '../auth/middleware.ts';
import type { Database } from '../db/schema.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { knownQuery } from '../http/known-query.ts';
import { firstSeqAt } from '../log/first-seq-at.ts';
import { listedProject } from '../projects/scope.ts';
import { briefListMax, capped, sinceOf } from './rules.ts';
import { blockedTasks, decisionsSettled, failures, pendingDecisions, runCosts, snapshotTime, tasksDone } from './store.ts';

/** `GET /brief?since=`: what happened since then, and what waits now. */
export function briefRoutes(deps: Pick<FeatureDeps, 'db'>): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  app.get('/', allow('GET /brief'), knownQuery(['since', 'project']), async (c) => {
    const projectId = listedProject(principalOf(c), c.req.query('project') || undefined);
    const since = c.req.query('since');
    // One snapshot: every list is of the same moment, the one `until` names.
    const brief = await deps.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute((trx) => readBrief(trx, since, projectId));
    return c.json(brief);
  });
  return app;
}

async function readBrief(db: Kysely<Database>, sinceParam: string | undefined, projectId: string | undefined): Promise<Brief> {
  const until = await snapshotTime(db);
  const since = sinceOf(sinceParam, until);
  const fromSeq = await firstSeqAt(db, since);
  const read = briefListMax + 1;
  const truncated: Brief['truncated'] = [];
  const keep = <T>(name: Brief['truncated'][number], rows: readonly T[]): T[] => {
    const { list, cut } = capped(rows);
    if (cut) truncated.push(name);
    return list;
  };
  const done = keep('done', await tasksDone(db, fromSeq, projectId, read));
  const failed = keep('failed', await failures(db, fromSeq, projectId, read));
  const decided = keep('decided', await decisionsSettled(db, fromSeq, projectId, read));
  const costs = await runCosts(db, fromSeq, projectId, read);
  const byAgent = keep('cost.byAgent', costs.byAgent);
  const waitingDecisions = keep('waiting.decisions', await pendingDecisions(db, projectId, read));
  const blocked = keep('waiting.blockedTasks', await blockedTasks(db, projectId, read));
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    project: projectId ?? null,
    done,
    failed,
    decided,
    cost: { usd: costs.usd, runs: costs.runs, byAgent },
    waiting: { decisions: waitingDecisions, blockedTasks: blocked },
    truncated,
  };
}

import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Contracts } from '../../contracts/index.ts';
import { allow, principalOf } from '../auth/middleware.ts';
import { aRole, appendableTypes, mayAppend } from '../auth/roles.ts';
import type { Database } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import type { HubEnv } from '../http/env.ts';
import { idempotencyKeyOf, jsonBody } from '../http/json-body.ts';
import { knownQuery } from '../http/known-query.ts';
import type { HubMetrics } from '../ops/metrics.ts';
import { subjectProjects } from '../projects/store.ts';
import { refuseForeignReports } from '../runners/reports.ts';
import type { NewEvent } from './event.ts';
import { runnerIdOf } from '../runners/model.ts';
import { type AppendLimits, checkAppend } from './check-append.ts';
import { findEventById } from './find-event.ts';
import type { EventAppender } from './group-commit.ts';

export interface LogRouteDeps {
  db: Kysely<Database>;
  contracts: Contracts;
  appender: EventAppender;
  limits: AppendLimits;
  metrics: HubMetrics;
}

/** `POST /events`: append one event or a batch, all or nothing, idempotent by key; `GET /events/:id`: one event. */
export function logRoutes(deps: LogRouteDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const appendOf = jsonBody((body, c) => {
    const principal = principalOf(c);
    return checkAppend(deps.contracts, deps.limits, {
      body,
      author: { actor: principal.actor, boundAgentId: principal.agentId },
      headerKey: idempotencyKeyOf(c, deps.contracts),
      origin: c.get('origin'),
    });
  });
  app.post('/', allow('POST /events'), appendOf, async (c) => {
    const principal = principalOf(c);
    const { events, batch } = c.req.valid('json');
    const refused = events.find((e) => !mayAppend(principal.role, e.type));
    if (refused) {
      throw new HubError('forbidden', `${aRole(principal.role)} token may not append "${refused.type}"; it may append: ${appendableTypes[principal.role].join(', ') || 'nothing'}`);
    }
    if (principal.role === 'runner') await refuseForeignReports(deps.db, runnerIdOf(principal.tokenId), events);
    if (principal.projectId !== null) await refuseOutOfProject(deps.db, principal.projectId, events);
    const receipts = await deps.appender.append(events);
    const deduped = receipts.filter((r) => r.deduped).length;
    deps.metrics.dedupedEvents.inc(deduped);
    const status = deduped === receipts.length ? 200 : 201;
    return c.json(batch ? { events: receipts } : receipts[0], status);
  });
  app.get('/:id', allow('GET /events/:id'), knownQuery([]), async (c) => {
    const event = await findEventById(deps.db, c.req.param('id'));
    const scope = principalOf(c).projectId;
    // To a scoped token, an event about nothing of its project does not exist.
    const hidden = event !== undefined && scope !== null && !(await subjectProjects(deps.db, event)).includes(scope);
    if (!event || hidden) throw new HubError('not_found', `no event ${JSON.stringify(c.req.param('id').slice(0, 128))} in the log; GET /events pages it, and with archived=include reads back the events retention moved out`);
    return c.json(event);
  });
  return app;
}

/** A scoped token's events each name an agent, a task or a decision, and every one they name is of its project. */
async function refuseOutOfProject(db: Kysely<Database>, projectId: string, events: readonly NewEvent[]): Promise<void> {
  for (const [i, event] of events.entries()) {
    const named = [event.agentId, event.taskId, event.decisionId].filter((id) => id !== null).length;
    const projects = await subjectProjects(db, event);
    if (named === 0 || projects.length < named || projects.some((p) => p !== projectId)) {
      throw new HubError('forbidden', `a token of project "${projectId}" appends only events about its project's agents, tasks and decisions; event ${i} is not one`);
    }
  }
}


import { Hono } from 'hono';
import type { Contracts, DecisionCancel } from '../../contracts/index.ts';
import type { DecisionRequest } from '../../contracts/views.ts';
import { type DecisionStatus, decisionStatuses as statuses } from '../../contracts/vocabulary.ts';
import { allow, bearerChallenge, principalOf } from '../auth/middleware.ts';
import type { Principal } from '../auth/roles.ts';
import type { HubConfig } from '../config.ts';
import { HubError, invalidInput } from '../errors.ts';
import { knownProject } from '../projects/rules.ts';
import { inScope, listedProject } from '../projects/scope.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { knownQuery, parseInteger } from '../http/known-query.ts';
import { idempotencyKeyOf, jsonBody, matching } from '../http/json-body.ts';
import { cancelDecision, requestDecision, resolveDecision } from './commands.ts';
import { type Decision, type DecisionAsk, newDecisionId } from './model.ts';
import type { DecisionAnswer } from './rules.ts';
import { existingDecision, listDecisions, subjectProject } from './store.ts';
import { awaitDecision } from './wait.ts';

/** The inbox: ask (`POST /decisions`), list, read, wait for, resolve and cancel decisions. */
export function decisionsRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();

  const askOf = jsonBody((body, c) => parseAsk(deps.contracts, deps.config, principalOf(c), body, newDecisionId(), deps.clock.now()));
  app.post('/', allow('POST /decisions'), askOf, async (c) => {
    const principal = principalOf(c);
    const key = idempotencyKeyOf(c, deps.contracts);
    const asked = c.req.valid('json');
    // A scoped token asks in its project: a decision without a project of its own is put there, and one of another (its agent's, its task's) is refused.
    const ask = principal.projectId !== null && asked.projectId === undefined ? { ...asked, projectId: principal.projectId } : asked;
    const project = (await subjectProject(deps.db, ask.agentId, ask.taskId)) ?? ask.projectId ?? 'default';
    if (!inScope(principal, project)) throw new HubError('forbidden', `a token of project "${principal.projectId}" asks decisions only there; this one would belong to "${project}"`);
    const { decisionId, retried } = await requestDecision(deps.appender, ask, { actor: principal.actor, key, origin: c.get('origin') });
    return c.json(await existingDecision(deps.db, decisionId), retried ? 200 : 201);
  });

  app.get('/', allow('GET /decisions'), knownQuery(['status', 'limit', 'project']), async (c) => {
    const status = parseStatus(c.req.query('status'));
    const limit = parseInteger('limit', c.req.query('limit'), 100, 1, 1000);
    return c.json({ decisions: await listDecisions(deps.db, status, limit, listedProject(principalOf(c), c.req.query('project') || undefined)) });
  });

  app.get('/:id', allow('GET /decisions/:id'), knownQuery([]), async (c) => c.json(await existingDecision(deps.db, c.req.param('id'), principalOf(c))));

  app.get('/:id/wait', allow('GET /decisions/:id/wait'), knownQuery(['timeout']), async (c) => {
    const timeoutSec = parseInteger('timeout', c.req.query('timeout'), 30, 1, 300, ' seconds');
    const decision = await existingDecision(deps.db, c.req.param('id'), principalOf(c));
    mayWait(principalOf(c), decision);
    if (decision.status !== 'pending') return c.json(decision);
    const refused = new AbortController();
    const release = deps.held.hold(principalOf(c).tokenId, () => refused.abort());
    try {
      const answer = await awaitDecision(deps.db, deps.fanout, decision, timeoutSec * 1000, AbortSignal.any([c.req.raw.signal, refused.signal]));
      if (refused.signal.aborted) throw new HubError('token_revoked', 'this token was revoked, or expired, while it waited; wait again with a good token', undefined, bearerChallenge(true));
      return c.json(answer);
    } finally {
      release();
    }
  });

  const answerOf = jsonBody((body, c) => parseAnswer(deps.contracts, principalOf(c), body));
  app.post('/:id/resolve', allow('POST /decisions/:id/resolve'), answerOf, async (c) => {
    const id = c.req.param('id');
    const answer = c.req.valid('json');
    await existingDecision(deps.db, id, principalOf(c));
    await resolveDecision(deps.appender, id, answer, deps.clock, c.get('origin'));
    return c.json(await existingDecision(deps.db, id));
  });

  app.post('/:id/cancel', allow('POST /decisions/:id/cancel'), jsonBody(matching<DecisionCancel>(deps.contracts, 'requests/decision-cancel.schema.json'), { optional: true }), async (c) => {
    const id = c.req.param('id');
    const { reason } = c.req.valid('json');
    await existingDecision(deps.db, id, principalOf(c));
    await cancelDecision(deps.appender, id, principalOf(c), reason, c.get('origin'));
    return c.json(await existingDecision(deps.db, id));
  });

  return app;
}

/** An agent waits only on its own decisions: the ones it asked, or that were asked or escalated for it. */
function mayWait(principal: Principal, decision: Decision): void {
  if (principal.role === 'agent' && decision.agentId !== principal.agentId) {
    throw new HubError('forbidden', `an agent token waits only on its own decisions; ${decision.id} is not ${principal.agentId}'s`);
  }
}

/** The body of `POST /decisions` as an ask with its id and deadline, or a 400/403 that says what to fix. */
export function parseAsk(contracts: Contracts, config: HubConfig, principal: Principal, body: unknown, id: string, now: Date): DecisionAsk {
  const problems = contracts.check('requests/decision-request.schema.json', body);
  if (problems.length > 0) throw invalidInput(problems);
  const ask = body as DecisionRequest;
  const bound = principal.agentId;
  if (bound !== null && ask.agentId !== undefined && ask.agentId !== bound) {
    throw new HubError('forbidden', `an agent token asks decisions only for its own agent ("${bound}"), not "${ask.agentId}"`);
  }
  const expiresInSec = ask.expiresInSec ?? config.decisions.defaultExpiresInSec;
  return {
    id,
    title: ask.title,
    context: ask.context ?? '',
    options: ask.options ?? ['approve', 'deny'],
    risk: ask.risk,
    expiresAt: new Date(now.getTime() + expiresInSec * 1000).toISOString(),
    onTimeout: ask.onTimeout ?? config.decisions.defaultOnTimeout,
    agentId: bound ?? ask.agentId ?? null,
    taskId: ask.taskId ?? null,
    ...(ask.projectId !== undefined ? { projectId: knownProject(config, ask.projectId) } : {}),
  };
}

/** The body of `POST /decisions/:id/resolve`, answered by the caller. */
export function parseAnswer(contracts: Contracts, principal: Principal, body: unknown): DecisionAnswer {
  const problems = contracts.check('requests/decision-resolution.schema.json', body);
  if (problems.length > 0) throw invalidInput(problems);
  const { outcome, comment, allowFromNow } = body as { outcome: string; comment?: string; allowFromNow?: DecisionAnswer['allowFromNow'] };
  if (allowFromNow !== undefined && outcome !== 'approve') {
    throw new HubError('validation_failed', `allowFromNow goes with an approval, not "${outcome}"`, [{ path: '/allowFromNow', message: 'only with outcome "approve"' }]);
  }
  return {
    outcome,
    by: principal.actor,
    ...(comment !== undefined ? { comment } : {}),
    ...(allowFromNow !== undefined ? { allowFromNow } : {}),
    ...(principal.person !== null ? { person: principal.person } : {}),
  };
}

/** `?status=`: one of the statuses, or every decision when unset. */
export function parseStatus(value: string | undefined): DecisionStatus | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(statuses as readonly string[]).includes(value)) {
    throw new HubError('validation_failed', `status must be one of: ${statuses.join(', ')} (got ${JSON.stringify(value.slice(0, 40))})`);
  }
  return value as DecisionStatus;
}

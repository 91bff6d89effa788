import { Hono } from 'hono';
import type { DecisionCancel } from '../../contracts/index.ts';
import { allow, bearerChallenge, principalOf } from '../auth/middleware.ts';
import type { Principal } from '../auth/roles.ts';
import { HubError } from '../errors.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { knownQuery } from '../http/known-query.ts';
import { idempotencyKeyOf, jsonBody, matching } from '../http/json-body.ts';
import { cancelDecision } from './cancel-decision.ts';
import type { Decision } from './decision.ts';
import { newDecisionId } from './decision-id.ts';
import { listDecisions } from './list-decisions.ts';
import { loadDecision } from './load-decision.ts';
import { requestDecision } from './request-decision.ts';
import { parseAnswer, parseAsk, parseInteger, parseStatus } from './requests.ts';
import { resolveDecision } from './resolve-decision.ts';
import { awaitDecision } from './wait.ts';

/** The inbox: ask (`POST /decisions`), list, read, wait for, resolve and cancel decisions. */
export function decisionsRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();

  const askOf = jsonBody((body, c) => parseAsk(deps.contracts, deps.config, principalOf(c), body, newDecisionId(), deps.clock.now()));
  app.post('/', allow('POST /decisions'), askOf, async (c) => {
    const principal = principalOf(c);
    const key = idempotencyKeyOf(c, deps.contracts);
    const ask = c.req.valid('json');
    const { decisionId, retried } = await requestDecision(deps.appender, ask, { actor: principal.actor, key, requestId: c.get('requestId') });
    return c.json(await found(decisionId), retried ? 200 : 201);
  });

  app.get('/', allow('GET /decisions'), knownQuery(['status', 'limit']), async (c) => {
    const status = parseStatus(c.req.query('status'));
    const limit = parseInteger('limit', c.req.query('limit'), 100, 1, 1000);
    return c.json({ decisions: await listDecisions(deps.db, status, limit) });
  });

  app.get('/:id', allow('GET /decisions/:id'), knownQuery([]), async (c) => c.json(await found(c.req.param('id'))));

  app.get('/:id/wait', allow('GET /decisions/:id/wait'), knownQuery(['timeout']), async (c) => {
    const timeoutSec = parseInteger('timeout', c.req.query('timeout'), 30, 1, 300, ' seconds');
    const decision = await found(c.req.param('id'));
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
    await resolveDecision(deps.appender, id, answer, deps.clock, c.get('requestId'));
    return c.json(await found(id));
  });

  app.post('/:id/cancel', allow('POST /decisions/:id/cancel'), jsonBody(matching<DecisionCancel>(deps.contracts, 'requests/decision-cancel.schema.json'), { optional: true }), async (c) => {
    const id = c.req.param('id');
    const { reason } = c.req.valid('json');
    await cancelDecision(deps.appender, id, principalOf(c), reason, c.get('requestId'));
    return c.json(await found(id));
  });

  async function found(id: string): Promise<Decision> {
    const decision = await loadDecision(deps.db, id);
    if (decision === undefined) throw new HubError('not_found', `no decision ${id}; GET /decisions lists them`);
    return decision;
  }

  return app;
}

/** An agent waits only on its own decisions: the ones it asked, or that were asked or escalated for it. */
function mayWait(principal: Principal, decision: Decision): void {
  if (principal.role === 'agent' && decision.agentId !== principal.agentId) {
    throw new HubError('forbidden', `an agent token waits only on its own decisions; ${decision.id} is not ${principal.agentId}'s`);
  }
}

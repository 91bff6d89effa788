import { Hono } from 'hono';
import { allow, principalOf } from '../auth/middleware.ts';
import type { Principal } from '../auth/roles.ts';
import { HubError } from '../errors.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { optionalBody } from '../http/optional-body.ts';
import { knownQuery } from '../http/known-query.ts';
import { readJson } from '../http/read-json.ts';
import { cancelDecision } from './cancel-decision.ts';
import type { Decision } from './decision.ts';
import { newDecisionId } from './decision-id.ts';
import { listDecisions } from './list-decisions.ts';
import { loadDecision } from './load-decision.ts';
import { requestDecision } from './request-decision.ts';
import { parseAnswer, parseAsk, parseInteger, parseKey, parseStatus } from './requests.ts';
import { resolveDecision } from './resolve-decision.ts';
import { awaitDecision } from './wait.ts';

/** The inbox: ask (`POST /decisions`), list, read, wait for, resolve and cancel decisions. */
export function decisionsRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();

  app.post('/', allow('POST /decisions'), async (c) => {
    const principal = principalOf(c);
    const key = parseKey(deps.contracts, c.req.header('idempotency-key'));
    const ask = parseAsk(deps.contracts, deps.config, principal, await readJson(c), newDecisionId(), deps.clock.now());
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
      if (refused.signal.aborted) throw new HubError(401, 'token_revoked', 'this token was revoked, or expired, while it waited; wait again with a good token');
      return c.json(answer);
    } finally {
      release();
    }
  });

  app.post('/:id/resolve', allow('POST /decisions/:id/resolve'), async (c) => {
    const id = c.req.param('id');
    const answer = parseAnswer(deps.contracts, principalOf(c), await readJson(c));
    await resolveDecision(deps.appender, id, answer, deps.clock, c.get('requestId'));
    return c.json(await found(id));
  });

  app.post('/:id/cancel', allow('POST /decisions/:id/cancel'), async (c) => {
    const id = c.req.param('id');
    const { reason } = await optionalBody<{ reason?: string }>(c, deps.contracts, 'requests/decision-cancel.schema.json');
    await cancelDecision(deps.appender, id, principalOf(c), reason, c.get('requestId'));
    return c.json(await found(id));
  });

  async function found(id: string): Promise<Decision> {
    const decision = await loadDecision(deps.db, id);
    if (decision === undefined) throw new HubError(404, 'not_found', `no decision ${id}; GET /decisions lists them`);
    return decision;
  }

  return app;
}

/** An agent waits only on its own decisions: the ones it asked, or that were asked or escalated for it. */
function mayWait(principal: Principal, decision: Decision): void {
  if (principal.role === 'agent' && decision.agentId !== principal.agentId) {
    throw new HubError(403, 'forbidden', `an agent token waits only on its own decisions; ${decision.id} is not ${principal.agentId}'s`);
  }
}

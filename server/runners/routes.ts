import { Hono } from 'hono';
import { type RunnerRegistration as RegistrationBody, childSpan, traceparentOf } from '../../contracts/index.ts';
import { findAgent } from '../agents/store.ts';
import { allow, bearerChallenge, principalOf } from '../auth/middleware.ts';
import type { Principal } from '../auth/roles.ts';
import { insertToken, newSecret, revokeAgentTokens } from '../auth/tokens.ts';
import { HubError } from '../errors.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { jsonBody, matching } from '../http/json-body.ts';
import { knownQuery, parseInteger } from '../http/known-query.ts';
import { handleCommand } from '../log/command.ts';
import { findSpawnRequest } from '../spawn/store.ts';
import { refuseScoped } from '../projects/scope.ts';
import { runnerIdOf } from './model.ts';
import { decideRegistration } from './rules.ts';
import { findRunner, placedAgents, recordContact, runnerViews } from './store.ts';
import { awaitWork } from './work.ts';

/** `/runners`: the list, and the runner's own calls: register, poll for work, start an assigned agent. */
export function runnersRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const { maxPollWaitMs } = deps.config.runners;

  app.get('/', allow('GET /runners'), knownQuery([]), async (c) => {
    refuseScoped(principalOf(c), 'read the runners');
    return c.json({ runners: await runnerViews(deps.db) });
  });

  app.post('/', allow('POST /runners'), jsonBody(matching<RegistrationBody>(deps.contracts, 'requests/runner-registration.schema.json')), async (c) => {
    const principal = principalOf(c);
    const runnerId = runnerIdOf(principal.tokenId);
    const registration = c.req.valid('json');
    await recordContact(deps.db, runnerId, deps.clock.now());
    await handleCommand(
      deps.appender,
      async (trx) => ({ known: await findRunner(trx, runnerId), placed: await placedAgents(trx, runnerId) }),
      ({ known, placed }) => decideRegistration(runnerId, known, registration, placed, deps.clock.now()),
      { actor: principal.actor, origin: c.get('origin') },
    );
    return c.json({ runnerId, maxPollWaitMs }, 200);
  });

  // Long-polled by the runner: each poll is also how the hub knows it is alive.
  app.get('/:id/work', allow('GET /runners/:id/work'), knownQuery(['after', 'wait']), async (c) => {
    const principal = principalOf(c);
    const runnerId = ownRunner(principal, c.req.param('id'));
    const after = parseInteger('after', c.req.query('after'), 0, 0, Number.MAX_SAFE_INTEGER);
    const waitMs = parseInteger('wait', c.req.query('wait'), maxPollWaitMs, 0, maxPollWaitMs, ' ms');
    await recordContact(deps.db, runnerId, deps.clock.now());
    const runner = await findRunner(deps.db, runnerId);
    if (runner?.status !== 'online') throw new HubError('conflict', `runner ${runnerId} is ${runner ? 'offline' : 'not registered'}: register (POST /runners) with the agents it runs, then poll again`);
    const refused = new AbortController();
    const release = deps.held.hold(principal.tokenId, () => refused.abort());
    try {
      const work = await awaitWork(deps.db, deps.fanout, runnerId, after, waitMs, AbortSignal.any([c.req.raw.signal, refused.signal]));
      if (refused.signal.aborted) throw new HubError('token_revoked', 'this token was revoked, or expired, while it waited; poll again with a good token', undefined, bearerChallenge(true));
      return c.json({ work, after: work.at(-1)?.seq ?? after });
    } finally {
      release();
    }
  });

  // The runner is about to start an agent it was assigned: the agent gets a token of its own,
  // minted now (any earlier one, from a start that did not happen, is revoked).
  app.post('/:id/agents/:agentId/start', allow('POST /runners/:id/agents/:agentId/start'), knownQuery([]), async (c) => {
    const principal = principalOf(c);
    const runnerId = ownRunner(principal, c.req.param('id'));
    const agentId = c.req.param('agentId');
    const agent = await findAgent(deps.db, agentId);
    if (agent?.runnerId !== runnerId) throw new HubError('forbidden', `agent "${agentId.slice(0, 64)}" is not assigned to runner ${runnerId}`);
    if (agent.status !== 'spawning') throw new HubError('conflict', `agent "${agentId}" is ${agent.status}: only an agent waiting to start is started`);
    const request = await findSpawnRequest(deps.db, agentId);
    if (request === undefined) throw new HubError('conflict', `agent "${agentId}" has no spawn request`);
    const data = request.data as { template: string; name: string; taskId?: string; input?: unknown };
    const token = newSecret();
    await revokeAgentTokens(deps.db, agentId);
    await insertToken(deps.db, token, { role: 'agent', agentId, name: data.name });
    // The agent is a span of its own in the spawning request's trace.
    const trace = childSpan(request.traceId && request.spanId ? { traceId: request.traceId, spanId: request.spanId } : null);
    return c.json({ agentId, name: data.name, template: data.template, taskId: data.taskId ?? null, input: data.input ?? null, traceparent: traceparentOf(trace), token });
  });
  return app;
}

/** The runner a runner token speaks for, when it is the one in the path; another's is refused. */
function ownRunner(principal: Principal, id: string): string {
  const own = runnerIdOf(principal.tokenId);
  if (id !== own) throw new HubError('forbidden', `a runner token acts only for its own runner (${own}), not "${id.slice(0, 64)}"`);
  return own;
}

import { Hono } from 'hono';
import type { AgentHeartbeat, Contracts, PauseOrResumeRequest, StopRequest } from '../../contracts/index.ts';
import { pausableStatuses } from '../../contracts/vocabulary.ts';
import { allow, principalOf } from '../auth/middleware.ts';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/roles.ts';
import type { Database } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { jsonBody, matching } from '../http/json-body.ts';
import { knownQuery } from '../http/known-query.ts';
import { handleCommand } from '../log/command.ts';
import type { AgentView } from './model.ts';
import { inScope, listedProject, refuseScoped } from '../projects/scope.ts';
import { runnerLoads } from '../runners/store.ts';
import { waitingReason } from '../runners/rules.ts';
import { decideHeartbeat, decidePause, decidePauseAll, decideResume, decideResumeAll, decideStop, isPausedAll, unknownAgent } from './rules.ts';
import { agentViews, findAgent, findAgentsByStatus, pauseAllMarks, recordHeartbeat } from './store.ts';

/** The optional body of a pause or resume, of one agent or of all: `{reason?}`. */
function pauseRequestBody(contracts: Contracts) {
  return jsonBody(matching<PauseOrResumeRequest>(contracts, 'requests/pause-request.schema.json'), { optional: true });
}

/** `/agents`: the view, heartbeats, and pausing or resuming one agent. */
export function agentsRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const viewOf = async (id: string, principal: Principal): Promise<AgentView> => {
    const [view] = await agentViews(deps.db, deps.config.budgets.agentUsd, { id });
    if (view === undefined || !inScope(principal, view.projectId)) throw unknownAgent(id);
    return view;
  };
  // An agent of another project than a scoped token's is, to it, no agent at all.
  const findScoped = (principal: Principal) => async (trx: Kysely<Database>, id: string) => {
    const agent = await findAgent(trx, id);
    return agent && inScope(principal, agent.projectId) ? agent : undefined;
  };

  app.get('/', allow('GET /agents'), knownQuery(['project']), async (c) =>
    c.json({ agents: await agentViews(deps.db, deps.config.budgets.agentUsd, { projectId: listedProject(principalOf(c), c.req.query('project') || undefined) }) }),
  );

  app.get('/:id', allow('GET /agents/:id'), knownQuery([]), async (c) => {
    const view = await viewOf(c.req.param('id'), principalOf(c));
    if (view.status !== 'spawning' || view.runnerId !== null || view.template === null) return c.json(view);
    // Queued: say why no runner has taken it.
    const template = Object.hasOwn(deps.config.templates, view.template) ? deps.config.templates[view.template] : undefined;
    return c.json({ ...view, waitingFor: template ? waitingReason(await runnerLoads(deps.db), view.template, template.runsOn) : `the template "${view.template}" is no longer configured` });
  });

  app.post('/:id/heartbeat', allow('POST /agents/:id/heartbeat'), jsonBody(matching<AgentHeartbeat>(deps.contracts, 'requests/agent-heartbeat.schema.json'), { optional: true }), async (c) => {
    const principal = principalOf(c);
    const id = c.req.param('id');
    if (principal.agentId !== id) throw new HubError('forbidden', `an agent token sends heartbeats only for its own agent ("${principal.agentId}"), not "${id}"`);
    const { name } = c.req.valid('json');
    const now = deps.clock.now();
    await recordHeartbeat(deps.db, id, now);
    // Most heartbeats stop here, off the log lock; only an unknown or stale agent needs an event.
    const agent = await findAgent(deps.db, id);
    if (agent === undefined || agent.status === 'stale') {
      await handleCommand(deps.appender, (trx) => findAgent(trx, id), (known) => decideHeartbeat(known, id, now, name), { actor: principal.actor, origin: c.get('origin') });
    }
    return c.json(await viewOf(id, principal));
  });

  const pauseRequest = pauseRequestBody(deps.contracts);
  for (const action of ['pause', 'resume'] as const) {
    app.post(`/:id/${action}`, allow(`POST /agents/:id/${action}`), pauseRequest, async (c) => {
      const principal = principalOf(c);
      const id = c.req.param('id');
      const { reason } = c.req.valid('json');
      await handleCommand(
        deps.appender,
        (trx) => findScoped(principal)(trx, id),
        (agent) => (action === 'pause' ? decidePause(agent, id, principal.actor, reason) : decideResume(agent, id, principal.actor, reason, principal.role)),
        { actor: principal.actor, origin: c.get('origin') },
      );
      return c.json(await viewOf(id, principal));
    });
  }

  // Answers at once: the hub running the agent stops it, and logs its end, as the log reaches it.
  app.post('/:id/stop', allow('POST /agents/:id/stop'), jsonBody(matching<StopRequest>(deps.contracts, 'requests/stop-request.schema.json'), { optional: true }), async (c) => {
    const principal = principalOf(c);
    const id = c.req.param('id');
    const { reason } = c.req.valid('json');
    await handleCommand(deps.appender, (trx) => findScoped(principal)(trx, id), (agent) => decideStop(agent, id, principal.actor, reason), { actor: principal.actor, origin: c.get('origin') });
    return c.json(await viewOf(id, principal), 202);
  });
  return app;
}

/** `POST /pause-all` and `POST /resume-all`: stop and restart every agent at once, in one command each. */
export function hubPauseRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();

  const pauseRequest = pauseRequestBody(deps.contracts);
  app.post('/pause-all', allow('POST /pause-all'), pauseRequest, async (c) => {
    const principal = principalOf(c);
    refuseScoped(principal, 'pause every agent');
    const { reason } = c.req.valid('json');
    let paused: string[] = [];
    await handleCommand(
      deps.appender,
      async (trx) => ({ agents: await findAgentsByStatus(trx, pausableStatuses), pausedAll: isPausedAll(await pauseAllMarks(trx)) }),
      ({ agents, pausedAll }) => {
        const decision = decidePauseAll(agents, pausedAll, principal.actor, reason);
        paused = decision.paused;
        return decision.changes;
      },
      { actor: principal.actor, origin: c.get('origin') },
    );
    return c.json({ paused });
  });

  app.post('/resume-all', allow('POST /resume-all'), pauseRequest, async (c) => {
    const principal = principalOf(c);
    refuseScoped(principal, 'resume every agent');
    const { reason } = c.req.valid('json');
    let resumed: string[] = [];
    await handleCommand(
      deps.appender,
      async (trx) => ({ agents: await findAgentsByStatus(trx, ['paused']), pausedAll: isPausedAll(await pauseAllMarks(trx)) }),
      ({ agents, pausedAll }) => {
        const decision = decideResumeAll(agents, pausedAll, principal.actor, reason);
        resumed = decision.resumed;
        return decision.changes;
      },
      { actor: principal.actor, origin: c.get('origin') },
    );
    return c.json({ resumed });
  });
  return app;
}

import { Hono } from 'hono';
import { allow, principalOf } from '../auth/middleware.ts';
import { HubError } from '../errors.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { knownQuery } from '../http/known-query.ts';
import type { AgentView } from './agent.ts';
import { agentViews } from './agent-views.ts';
import { changeEvent } from './change-event.ts';
import { findAgent } from './find-agents.ts';
import { recordHeartbeat } from './heartbeats.ts';
import { optionalBody } from '../http/optional-body.ts';
import { decideHeartbeat, decidePause, decideResume, unknownAgent } from './rules.ts';

/** `/agents`: the view, heartbeats, and pausing or resuming one agent. */
export function agentsRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const viewOf = async (id: string): Promise<AgentView> => {
    const [view] = await agentViews(deps.db, deps.config.budgets.agentUsd, id);
    if (view === undefined) throw unknownAgent(id);
    return view;
  };

  app.get('/', allow('GET /agents'), knownQuery([]), async (c) => c.json({ agents: await agentViews(deps.db, deps.config.budgets.agentUsd) }));

  app.get('/:id', allow('GET /agents/:id'), knownQuery([]), async (c) => c.json(await viewOf(c.req.param('id'))));

  app.post('/:id/heartbeat', allow('POST /agents/:id/heartbeat'), async (c) => {
    const principal = principalOf(c);
    const id = c.req.param('id');
    if (principal.agentId !== id) throw new HubError(403, 'forbidden', `an agent token sends heartbeats only for its own agent ("${principal.agentId}"), not "${id}"`);
    const { name } = await optionalBody<{ name?: string }>(c, deps.contracts, 'requests/agent-heartbeat.schema.json');
    const now = deps.clock.now();
    await recordHeartbeat(deps.db, id, now);
    // Most heartbeats stop here, off the log lock; only an unknown or stale agent needs an event.
    const agent = await findAgent(deps.db, id);
    if (agent === undefined || agent.status === 'stale') {
      await deps.appender.execute(async (trx) =>
        decideHeartbeat(await findAgent(trx, id), id, now, name).map((change) => changeEvent(change, principal.actor, undefined, c.get('requestId'))),
      );
    }
    return c.json(await viewOf(id));
  });

  for (const action of ['pause', 'resume'] as const) {
    app.post(`/:id/${action}`, allow(`POST /agents/:id/${action}`), async (c) => {
      const principal = principalOf(c);
      const id = c.req.param('id');
      const { reason } = await optionalBody<{ reason?: string }>(c, deps.contracts, 'requests/pause-request.schema.json');
      await deps.appender.execute(async (trx) => {
        const agent = await findAgent(trx, id);
        const changes = action === 'pause' ? decidePause(agent, id, principal.actor, reason) : decideResume(agent, id, principal.actor, reason, principal.role);
        return changes.map((change) => changeEvent(change, principal.actor, undefined, c.get('requestId')));
      });
      return c.json(await viewOf(id));
    });
  }
  return app;
}

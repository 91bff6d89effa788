import { Hono } from 'hono';
import { allow, principalOf } from '../auth/middleware.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { changeEvent } from './change-event.ts';
import { pauseRequestBody } from './routes.ts';
import { findAgentsByStatus } from './find-agents.ts';
import { pauseAllMarks } from './pause-all-marks.ts';
import { decidePauseAll, decideResumeAll, isPausedAll } from './rules.ts';

/** `POST /pause-all` and `POST /resume-all`: stop and restart every agent at once, in one command each. */
export function hubPauseRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();

  const pauseRequest = pauseRequestBody(deps.contracts);
  app.post('/pause-all', allow('POST /pause-all'), pauseRequest, async (c) => {
    const principal = principalOf(c);
    const { reason } = c.req.valid('json');
    let paused: string[] = [];
    await deps.appender.execute(async (trx) => {
      const agents = await findAgentsByStatus(trx, ['spawning', 'running', 'awaiting_decision', 'stale']);
      const decision = decidePauseAll(agents, isPausedAll(await pauseAllMarks(trx)), principal.actor, reason);
      paused = decision.paused;
      return decision.changes.map((change) => changeEvent(change, principal.actor, undefined, c.get('requestId')));
    });
    return c.json({ paused });
  });

  app.post('/resume-all', allow('POST /resume-all'), pauseRequest, async (c) => {
    const principal = principalOf(c);
    const { reason } = c.req.valid('json');
    let resumed: string[] = [];
    await deps.appender.execute(async (trx) => {
      const agents = await findAgentsByStatus(trx, ['paused']);
      const decision = decideResumeAll(agents, isPausedAll(await pauseAllMarks(trx)), principal.actor, reason);
      resumed = decision.resumed;
      return decision.changes.map((change) => changeEvent(change, principal.actor, undefined, c.get('requestId')));
    });
    return c.json({ resumed });
  });
  return app;
}

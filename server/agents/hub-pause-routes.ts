import { Hono } from 'hono';
import { pausableStatuses } from '../../contracts/vocabulary.ts';
import { allow, principalOf } from '../auth/middleware.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { handleCommand } from '../log/command.ts';
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
    await handleCommand(
      deps.appender,
      async (trx) => ({ agents: await findAgentsByStatus(trx, pausableStatuses), pausedAll: isPausedAll(await pauseAllMarks(trx)) }),
      ({ agents, pausedAll }) => {
        const decision = decidePauseAll(agents, pausedAll, principal.actor, reason);
        paused = decision.paused;
        return decision.changes;
      },
      { actor: principal.actor, requestId: c.get('requestId') },
    );
    return c.json({ paused });
  });

  app.post('/resume-all', allow('POST /resume-all'), pauseRequest, async (c) => {
    const principal = principalOf(c);
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
      { actor: principal.actor, requestId: c.get('requestId') },
    );
    return c.json({ resumed });
  });
  return app;
}

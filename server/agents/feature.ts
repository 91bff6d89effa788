import type { Feature } from '../feature.ts';
import { agentGauges } from './gauges.ts';
import { agentsProjection } from './projection.ts';
import { agentsRoutes, hubPauseRoutes } from './routes.ts';
import { staleAgentsTimer } from './timers.ts';

/** The agents view: who is alive and what it is doing, pausing one or all, and the stale timer. */
export const agentsFeature: Feature = (deps) => ({
  projection: agentsProjection,
  routes: { '/agents': agentsRoutes(deps), '/': hubPauseRoutes(deps) },
  timers: [staleAgentsTimer(deps)],
  gauges: agentGauges(deps.db),
});

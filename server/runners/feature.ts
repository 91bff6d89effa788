import type { Feature } from '../feature.ts';
import { runnersProjection } from './projection.ts';
import { runnersRoutes } from './routes.ts';
import { offlineRunnersTimer } from './timers.ts';

/** The runners that start agents: registration, their work, the spawn queue, and the offline timer. */
export const runnersFeature: Feature = (deps) => ({
  projection: runnersProjection(deps.config.templates),
  routes: { '/runners': runnersRoutes(deps) },
  timers: [offlineRunnersTimer(deps)],
});

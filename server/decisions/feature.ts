import type { Feature } from '../feature.ts';
import { decisionGauges } from './gauges.ts';
import { decisionsProjection } from './projection.ts';
import { decisionsRoutes } from './routes.ts';
import { decisionExpiryTimer } from './timers.ts';

/** The decisions view (the inbox): its projection, its routes and the deadline timer. */
export const decisionsFeature: Feature = (deps) => ({
  projection: decisionsProjection(),
  routes: { '/decisions': decisionsRoutes(deps) },
  timers: [decisionExpiryTimer(deps)],
  gauges: decisionGauges(deps.db, deps.clock),
});

import type { Feature } from '../feature.ts';
import { briefRoutes } from './routes.ts';

/** The daily brief: what happened since a moment and what waits now, read from the log and the views; it keeps no view of its own. */
export const briefFeature: Feature = (deps) => ({
  routes: { '/brief': briefRoutes(deps) },
});

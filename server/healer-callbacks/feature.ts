import type { Feature } from '../feature.ts';
import { healerCallbacksRoutes } from './routes.ts';

/** The hub's side of the healer: its signed callbacks, and the decisions its escalations open. */
export const healerCallbacksFeature: Feature = (deps) => ({ routes: { '/healer': healerCallbacksRoutes(deps) } });

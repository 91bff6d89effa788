import type { Feature } from '../feature.ts';
import { healRoutes } from './routes.ts';

/** The hub's side of the healer: its signed callbacks, and the decisions its escalations open. */
export const healFeature: Feature = (deps) => ({ routes: { '/healer': healRoutes(deps) } });

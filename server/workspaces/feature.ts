import type { Feature } from '../feature.ts';
import { workspacesProjection } from './projection.ts';
import { workspacesRoutes } from './routes.ts';

/** Agents' git workspaces on the hub's side: merge requests, settled by a decision, applied by the runner. */
export const workspacesFeature: Feature = (deps) => ({
  projection: workspacesProjection,
  routes: { '/': workspacesRoutes(deps) },
});

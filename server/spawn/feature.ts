import type { Feature } from '../feature.ts';
import { spawnRoutes, templatesRoutes } from './routes.ts';

/** Asking for agents from configured templates, and talking to them: `/spawn`, `/inject`, `/templates`. Runners start them. */
export const spawnFeature: Feature = (deps) => ({
  routes: { '/': spawnRoutes(deps), '/templates': templatesRoutes(deps.config.templates) },
});

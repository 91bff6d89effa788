import { Hono } from 'hono';
import { allow, principalOf } from '../auth/middleware.ts';
import { inScope } from './scope.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { knownQuery } from '../http/known-query.ts';
import { projectIds } from './rules.ts';

/** `GET /projects`: the projects a hub knows, with their description and repository. */
export function projectsRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const list = projectIds(deps.config).map((id) => {
    const project = Object.hasOwn(deps.config.projects, id) ? deps.config.projects[id] : undefined;
    return { id, description: project?.description ?? null, repo: project?.repo ?? null };
  });
  app.get('/', allow('GET /projects'), knownQuery([]), (c) => c.json({ projects: list.filter((project) => inScope(principalOf(c), project.id)) }));
  return app;
}

import type { Feature } from '../feature.ts';
import { projectsRoutes } from './routes.ts';
import { templateProjectProblem } from './rules.ts';

/** Projects: what groups a repository's agents, tasks and decisions (`GET /projects`; `?project=` on the lists). */
export const projectsFeature: Feature = (deps) => {
  const problem = templateProjectProblem(deps.config);
  if (problem) throw new Error(problem);
  return { routes: { '/projects': projectsRoutes(deps) } };
};

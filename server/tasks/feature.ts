import type { Feature } from '../feature.ts';
import { tasksProjection } from './projection.ts';
import { tasksRoutes } from './routes.ts';

/** The task board: a state machine over `task.*` events, with loop detection that blocks stuck tasks. */
export const tasksFeature: Feature = (deps) => ({
  projection: tasksProjection(deps.config.loops),
  routes: { '/tasks': tasksRoutes(deps) },
});

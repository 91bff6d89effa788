import type { Feature } from '../feature.ts';
import { localRunner } from './local-runner.ts';
import { spawnRoutes } from './routes.ts';
import { AgentSupervisor } from './supervisor.ts';
import { templatesRoutes } from './templates-routes.ts';

/** Starting agents from configured templates, and talking to them: `/spawn`, `/inject`, `/templates`. */
export const spawnFeature: Feature = (deps) => {
  const supervisor = new AgentSupervisor(localRunner, deps.appender, deps.fanout, deps.config.spawn, deps.logger);
  return { routes: { '/': spawnRoutes(deps, supervisor), '/templates': templatesRoutes(deps.config.templates) }, stop: () => supervisor.stop() };
};

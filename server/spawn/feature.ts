import type { Feature } from '../feature.ts';
import { systemAccount } from '../system-account.ts';
import { agentAccount } from './agent-account.ts';
import { localRunner } from './local-runner.ts';
import { spawnRoutes } from './routes.ts';
import { templateCwdProblem } from './rules.ts';
import { AgentSupervisor } from './supervisor.ts';
import { templatesRoutes } from './templates-routes.ts';

/** Starting agents from configured templates, and talking to them: `/spawn`, `/inject`, `/templates`. */
export const spawnFeature: Feature = (deps) => {
  const problem = deps.dataDir === undefined ? undefined : templateCwdProblem(deps.dataDir, deps.config.templates);
  if (problem) throw new Error(problem);
  const runner = localRunner(agentAccount(process.getuid?.(), deps.config.spawn.user, systemAccount, deps.logger));
  const supervisor = new AgentSupervisor(runner, deps.appender, deps.fanout, deps.config.spawn, deps.logger);
  return { routes: { '/': spawnRoutes(deps, supervisor), '/templates': templatesRoutes(deps.config.templates) }, stop: () => supervisor.stop() };
};

import { statSync } from 'node:fs';
import type { Feature } from '../feature.ts';
import { systemAccount } from '../system-account.ts';
import { agentAccount } from './environment.ts';
import { spawnRoutes, templatesRoutes } from './routes.ts';
import { type PathStat, templateCwdProblem, templateReachProblem } from './rules.ts';
import { localRunner } from './runner.ts';
import { AgentSupervisor } from './supervisor.ts';

/** Starting agents from configured templates, and talking to them: `/spawn`, `/inject`, `/templates`. */
export const spawnFeature: Feature = (deps) => {
  const problem = deps.dataDir === undefined ? undefined : templateCwdProblem(deps.dataDir, deps.config.templates);
  if (problem) throw new Error(problem);
  const account = agentAccount(process.getuid?.(), deps.config.spawn.user, systemAccount, deps.logger);
  // Asked again at each spawn, so a directory opened up since the start needs no restart.
  const reachProblem = (name: string) => (account ? templateReachProblem(name, deps.config.templates[name]!, account, pathStat) : undefined);
  for (const name of Object.keys(deps.config.templates)) {
    const unreachable = reachProblem(name);
    if (unreachable) deps.logger.warn({ template: name }, unreachable);
  }
  const runner = localRunner(account);
  const supervisor = new AgentSupervisor(runner, deps.appender, deps.fanout, deps.config.spawn, deps.logger);
  return { routes: { '/': spawnRoutes(deps, supervisor, reachProblem), '/templates': templatesRoutes(deps.config.templates) }, stop: () => supervisor.stop() };
};

function pathStat(at: string): PathStat | undefined {
  const found = statSync(at, { throwIfNoEntry: false });
  return found && { uid: found.uid, gid: found.gid, mode: found.mode, directory: found.isDirectory() };
}

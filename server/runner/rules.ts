import path from 'node:path';
import type { AgentTemplate } from '../config.ts';

/** Why the templates may not run as configured (a working directory inside `secretDir`, `what` holds secrets), or undefined. */
export function templateCwdProblem(secretDir: string, what: string, templates: Readonly<Record<string, AgentTemplate>>): string | undefined {
  const data = path.resolve(secretDir);
  for (const [name, template] of Object.entries(templates)) {
    if (template.cwd === undefined) continue;
    const relative = path.relative(data, path.resolve(template.cwd));
    if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
      return `template "${name}" has cwd ${template.cwd}, inside ${what} ${data}, which holds secrets: give it a directory outside, or none (a fresh directory per agent)`;
    }
  }
  return undefined;
}

/** A path's owner, group and mode bits, as `stat` tells them. */
export interface PathStat {
  uid: number;
  gid: number;
  mode: number;
  directory: boolean;
}

/** The user and primary group an agent runs as. */
export interface AgentIdentity {
  name: string;
  uid: number;
  gid: number;
}

/**
 * Why an agent running as `agent` cannot start template `name`: a directory on the way to its
 * `cwd` (or to a file its command or args name) it may not enter, or such a file it may not read;
 * undefined when it can. Only the primary group is considered; `stat` answers undefined for a path that does not exist.
 */
export function templateReachProblem(name: string, template: AgentTemplate, agent: AgentIdentity, stat: (at: string) => PathStat | undefined): string | undefined {
  if (template.cwd === undefined || agent.uid === 0) return undefined;
  const cwd = path.resolve(template.cwd);
  const files = [template.command, ...(template.args ?? [])]
    .filter((word) => !word.startsWith('-'))
    .map((word) => path.resolve(cwd, word))
    .filter((file) => file !== cwd && stat(file)?.directory === false);
  for (const target of [cwd, ...files]) {
    const steps = target.split(path.sep).filter(Boolean);
    for (let depth = 0; depth <= steps.length; depth += 1) {
      const at = path.join(path.sep, ...steps.slice(0, depth));
      const found = stat(at);
      if (!found) break;
      const need = found.directory ? 0o1 : 0o4;
      if (allows(found, agent, need)) continue;
      const fix = found.directory ? `give it o+x (chmod o+x ${at})` : `give it o+r (chmod o+r ${at})`;
      return (
        `template "${name}" cannot start as the user ${agent.name} (uid ${agent.uid}): it may not ${found.directory ? 'enter' : 'read'} ${at} ` +
        `(mode ${(found.mode & 0o777).toString(8).padStart(4, '0')}, owner uid ${found.uid})${at === target ? '' : ` on the way to ${target}`}: ` +
        `move the checkout where ${agent.name} can reach it, ${fix}, or set runner.runAs to a user that can`
      );
    }
  }
  return undefined;
}

function allows(found: PathStat, agent: AgentIdentity, bit: number): boolean {
  const shift = found.uid === agent.uid ? 6 : found.gid === agent.gid ? 3 : 0;
  return ((found.mode >> shift) & bit) !== 0;
}

import path from 'node:path';
import type { AgentTemplate } from '../config.ts';

/** Why the templates may not run as configured (a working directory inside the data directory, where the hub keeps its secrets), or undefined. */
export function templateCwdProblem(dataDir: string, templates: Readonly<Record<string, AgentTemplate>>): string | undefined {
  const data = path.resolve(dataDir);
  for (const [name, template] of Object.entries(templates)) {
    if (template.cwd === undefined) continue;
    const relative = path.relative(data, path.resolve(template.cwd));
    if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
      return `template "${name}" has cwd ${template.cwd}, inside the data directory ${data}, which holds the hub's secrets: give it a directory outside, or none (a fresh directory per agent)`;
    }
  }
  return undefined;
}

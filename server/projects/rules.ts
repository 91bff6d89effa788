import type { HubConfig } from '../config.ts';
import { HubError } from '../errors.ts';

/** The project every hub has, and everything belongs to unless it names another. */
export const defaultProject = 'default';

/** The ids of the projects a hub knows: `default` and the configured ones. */
export function projectIds(config: Pick<HubConfig, 'projects'>): string[] {
  return [defaultProject, ...Object.keys(config.projects).filter((id) => id !== defaultProject)];
}

/** `id` when it is a project the hub knows; else a 400 that lists the known ones. */
export function knownProject(config: Pick<HubConfig, 'projects'>, id: string, at = '/projectId'): string {
  const known = projectIds(config);
  if (!known.includes(id)) throw new HubError('validation_failed', `no project "${id}"; configured: ${known.join(', ')}`, [{ path: at, message: `must be one of: ${known.join(', ')}` }]);
  return id;
}

/** Why the configuration cannot run: a template naming a project it does not list; undefined when it can. */
export function templateProjectProblem(config: Pick<HubConfig, 'projects' | 'templates'>): string | undefined {
  const known = projectIds(config);
  for (const [name, template] of Object.entries(config.templates)) {
    if (template.project !== undefined && !known.includes(template.project)) {
      return `template "${name}" names the project "${template.project}", which projects does not list (configured: ${known.join(', ')})`;
    }
  }
  return undefined;
}

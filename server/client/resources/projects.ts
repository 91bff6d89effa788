import type { ProjectView } from '../views.ts';
import { type CallOptions, HubResource } from './resource.ts';

/** The projects, each grouping a repository's agents, tasks and decisions. */
export class Projects extends HubResource {
  /** `default`, then the configured ones; a scoped token sees only its own. */
  async list(options: CallOptions = {}): Promise<ProjectView[]> {
    return (await this.send<{ projects: ProjectView[] }>({ method: 'GET', path: '/projects', idempotent: true }, options)).projects;
  }
}

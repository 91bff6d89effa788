import type { TaskCreateRequest } from '../../../contracts/requests.ts';
import type { TaskStatus, TaskView } from '../views.ts';
import { type CallOptions, HubResource, segment } from './resource.ts';

/** Which tasks `list` reads: every one, or those with `status`, of `project`. */
export interface TaskQuery {
  status?: TaskStatus;
  project?: string;
}

/** The task board. */
export class Tasks extends HubResource {
  /** Every task, or those `query` selects. */
  async list(query: TaskQuery = {}, options: CallOptions = {}): Promise<TaskView[]> {
    const params = new URLSearchParams();
    if (query.status) params.set('status', query.status);
    if (query.project) params.set('project', query.project);
    const search = params.size === 0 ? '' : `?${params}`;
    return (await this.send<{ tasks: TaskView[] }>({ method: 'GET', path: `/tasks${search}`, idempotent: true }, options)).tasks;
  }

  /** Adds a task to the board (`task.created`); a body the schema refuses is a 400 naming the field. */
  create(request: TaskCreateRequest, options: CallOptions = {}): Promise<TaskView> {
    return this.send({ method: 'POST', path: '/tasks', body: request, idempotent: false }, options);
  }

  /** One task by its id. */
  get(id: string, options: CallOptions = {}): Promise<TaskView> {
    return this.send({ method: 'GET', path: `/tasks/${segment(id)}`, idempotent: true }, options);
  }

  /** Moves a task on the board; a move the board does not allow is a 409 that says which it does. */
  transition(id: string, to: TaskStatus, reason?: string, options: CallOptions = {}): Promise<TaskView> {
    return this.send({ method: 'POST', path: `/tasks/${segment(id)}/transition`, body: { to, ...(reason ? { reason } : {}) }, idempotent: false }, options);
  }
}

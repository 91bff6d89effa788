import type { TaskStatus, TaskView } from '../views.ts';
import { type CallOptions, HubResource, segment } from './resource.ts';

/** The task board. */
export class Tasks extends HubResource {
  /** Every task, or those with `status`. */
  async list(status?: TaskStatus, options: CallOptions = {}): Promise<TaskView[]> {
    const query = status ? `?status=${segment(status)}` : '';
    return (await this.send<{ tasks: TaskView[] }>({ method: 'GET', path: `/tasks${query}`, idempotent: true }, options)).tasks;
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

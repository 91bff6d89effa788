import type { Task } from './rules.ts';

export type { TaskView } from '../../contracts/views.ts';
import type { TaskView } from '../../contracts/views.ts';

export function taskView(task: Task): TaskView {
  const { id, title, description, priority, labels, status, agentId, blockedReason, createdAt, updatedAt } = task;
  return { id, title, description, priority, labels, status, agentId, blockedReason, createdAt, updatedAt };
}

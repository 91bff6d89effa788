import type { Task } from './rules.ts';

/** A task as the API answers it. */
export interface TaskView {
  id: string;
  title: string;
  description: string | null;
  priority: string;
  labels: string[];
  status: string;
  agentId: string | null;
  blockedReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export function taskView(task: Task): TaskView {
  const { id, title, description, priority, labels, status, agentId, blockedReason, createdAt, updatedAt } = task;
  return { id, title, description, priority, labels, status, agentId, blockedReason, createdAt, updatedAt };
}

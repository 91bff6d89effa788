import { createHash } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import type { TaskView } from '../../contracts/views.ts';
import type { TaskStatus } from '../../contracts/vocabulary.ts';

export type { TaskView };

/** A task as the rules see it: its view, and what the board keeps to undo a block and order the list. */
export interface Task extends TaskView {
  statusBeforeBlock: TaskStatus | null;
  createdSeq: number;
  lastSeq: number;
}

/** An event the rules decided, before the hub stamps it. */
export type TaskChange = { type: 'task.assigned'; data: { agentId: string } } | { type: 'task.transitioned'; data: { from: TaskStatus; to: TaskStatus; reason?: string } };

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const randomPart = customAlphabet(alphabet, 16);

/** A fresh task id: `tsk_` and 16 letters or digits. */
export function newTaskId(): string {
  return `tsk_${randomPart()}`;
}

/** The task id a caller's idempotency key stands for: a retry names the same task, so its events are the same. */
export function taskIdForKey(actor: string, key: string): string {
  const digest = createHash('sha256').update(`${actor}\n${key}`).digest();
  let id = '';
  for (let i = 0; i < 16; i++) id += alphabet[digest[i]! % alphabet.length];
  return `tsk_${id}`;
}

/** The task as the API shows it: the board's fields, without the hub's own bookkeeping. */
export function taskView(task: Task): TaskView {
  const { id, title, description, priority, labels, status, agentId, blockedReason, createdAt, updatedAt, projectId } = task;
  return { id, title, description, priority, labels, status, agentId, blockedReason, createdAt, updatedAt, projectId };
}

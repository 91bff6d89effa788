import { taskTransitions } from '../../../contracts/views.ts';
import { type TaskStatus, type TaskView, taskBoardOrder } from './types.ts';

/** The board's state machine, the one the hub enforces. */
export const taskMoves = taskTransitions;

export const statusLabels: Readonly<Record<TaskStatus, string>> = {
  todo: 'To do',
  in_progress: 'In progress',
  review: 'Review',
  blocked: 'Blocked',
  done: 'Done',
  cancelled: 'Cancelled',
};

const priorityRank = { urgent: 0, high: 1, normal: 2, low: 3 } as const;

/** The moves a card offers: exactly the ones the hub allows an operator from its state. */
export function movesFrom(status: TaskStatus): readonly TaskStatus[] {
  return taskMoves[status];
}

/** The board: one column per state, in the machine's order; most urgent first, then most recently changed. */
export function boardColumns(tasks: ReadonlyMap<string, TaskView>): Array<{ status: TaskStatus; tasks: TaskView[] }> {
  const columns = taskBoardOrder.map((status) => ({ status, tasks: [] as TaskView[] }));
  for (const task of tasks.values()) columns[taskBoardOrder.indexOf(task.status)]?.tasks.push(task);
  for (const column of columns) {
    column.tasks.sort((a, b) => priorityRank[a.priority] - priorityRank[b.priority] || b.updatedAt.localeCompare(a.updatedAt));
  }
  return columns;
}

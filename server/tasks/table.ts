import type { ColumnType } from 'kysely';

/** One row per task: the board, folded from `task.*` events. */
export interface TasksTable {
  id: string;
  title: string;
  description: string | null;
  /** low, normal, high, urgent. */
  priority: string;
  labels: string[];
  /** todo, in_progress, review, done, blocked, cancelled. */
  status: string;
  agent_id: string | null;
  blocked_reason: string | null;
  /** The status a blocked task was in when it was blocked. */
  status_before_block: string | null;
  /** The `recordedAt` of the events that created and last changed the task. */
  created_at: ColumnType<Date, Date | string, Date | string>;
  updated_at: ColumnType<Date, Date | string, Date | string>;
  /** The `seq` of `task.created`: orders the board newest first, even within one transaction. */
  created_seq: ColumnType<string, number | string, number | string>;
  last_seq: ColumnType<string, number | string, number | string>;
}

/** The tables of the tasks view. */
export interface TasksTables {
  tasks: TasksTable;
}

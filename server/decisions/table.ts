import type { ColumnType } from 'kysely';

/** A timestamp: read as a Date, written as a Date or an ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** jsonb: read parsed, written as JSON text. */
type Json<T> = ColumnType<T, string, string>;

/** One row per decision: the inbox, folded from `decision.*` events. */
export interface DecisionsTable {
  id: string;
  title: string;
  context: string;
  options: Json<string[]>;
  risk: string;
  status: string;
  outcome: string | null;
  approvals: Json<Array<{ by: string; at: string }>>;
  resolved_by: string | null;
  comment: string | null;
  expires_at: Timestamp;
  on_timeout: string;
  agent_id: string | null;
  task_id: string | null;
  requested_by: string;
  created_at: Timestamp;
  resolved_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  /** The decision an escalation opened when this one expired. */
  escalated_to: string | null;
  /** The `seq` of the last event folded into the row (bigint: read as a string). */
  last_seq: ColumnType<string, number, number>;
}

/** The tables of the decisions view. */
export interface DecisionsTables {
  decisions: DecisionsTable;
}

import type { ColumnType, Generated } from 'kysely';

/** The log: one row per event, only ever inserted. */
export interface EventsTable {
  seq: Generated<string>;
  id: string;
  type: string;
  actor: string;
  agent_id: string | null;
  task_id: string | null;
  decision_id: string | null;
  idempotency_key: string;
  payload_hash: string;
  data: unknown;
  correlation_id: string | null;
  causation_id: string | null;
  recorded_at: ColumnType<Date, never, never>;
}

/** Bearer tokens, stored only as hashes. */
export interface TokensTable {
  id: string;
  token_hash: string;
  role: string;
  agent_id: string | null;
  name: string | null;
  created_at: ColumnType<Date, never, never>;
}

export interface Database {
  events: EventsTable;
  tokens: TokensTable;
}

import type { ColumnType, Generated } from 'kysely';
import type { AgentsTables } from '../agents/store.ts';
import type { BudgetTables } from '../budget/store.ts';
import type { DecisionsTables } from '../decisions/store.ts';
import type { NotificationsTables } from '../notifications/store.ts';
import type { PoliciesTables } from '../policies/store.ts';
import type { RunnersTables } from '../runners/store.ts';
import type { SubscriptionsTables } from '../subscriptions/store.ts';
import type { TasksTables } from '../tasks/store.ts';

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
  trace_id: string | null;
  span_id: string | null;
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
  /** Null: the token never expires. */
  expires_at: ColumnType<Date | null, Date | string | null, never>;
  revoked_at: ColumnType<Date | null, never, Date | string>;
  /** When a hub last looked the token up (so to within `auth.cacheMs`). */
  last_used_at: ColumnType<Date | null, never, Date | string>;
  /** Null: every project; else the one project the token sees and acts in. */
  project_id: ColumnType<string | null, string | null | undefined, never>;
  /** The person of the config file the token belongs to, if any: notifications reach them, and their answers count as theirs. */
  person: ColumnType<string | null, string | null | undefined, never>;
}

/** The one row naming this log, made once with the database. */
export interface HubIdentityTable {
  id: string;
  created_at: ColumnType<Date, never, never>;
}

/** Every table: the log, the tokens, and each feature's view. */
export interface Database extends AgentsTables, TasksTables, DecisionsTables, BudgetTables, RunnersTables, PoliciesTables, SubscriptionsTables, NotificationsTables {
  events: EventsTable;
  tokens: TokensTable;
  hub_identity: HubIdentityTable;
}

import { type Kysely, sql } from 'kysely';
import type { EventEnvelope } from '../../contracts/index.ts';
import type { Database } from '../db/schema.ts';
import { envelopeOfRow } from './read-envelopes.ts';

/** Which stored events a feature asks about; every field that is set must hold. */
export interface EventQuery {
  type?: string;
  agentId?: string;
  taskId?: string;
  decisionId?: string;
  /** Only events after this `seq`, up to and including `uptoSeq`. */
  afterSeq?: number;
  uptoSeq?: number;
  /** Only events recorded at or after this time. */
  since?: Date;
  /** Data fields that must equal these texts (`data->>field`). */
  data?: Readonly<Record<string, string>>;
}

// Types and field names come from the hub's code, never from a request: written as literals,
// the query shows the planner the predicates of the partial and expression indexes.
function selectEvents(db: Kysely<Database>, q: EventQuery) {
  let query = db.selectFrom('events');
  if (q.type !== undefined) query = query.where(sql<boolean>`type = ${sql.lit(q.type)}`);
  if (q.agentId !== undefined) query = query.where('agent_id', '=', q.agentId);
  if (q.taskId !== undefined) query = query.where('task_id', '=', q.taskId);
  if (q.decisionId !== undefined) query = query.where('decision_id', '=', q.decisionId);
  if (q.afterSeq !== undefined) query = query.where(sql<boolean>`seq > ${q.afterSeq}`);
  if (q.uptoSeq !== undefined) query = query.where(sql<boolean>`seq <= ${q.uptoSeq}`);
  if (q.since !== undefined) query = query.where('recorded_at', '>=', q.since);
  for (const [field, value] of Object.entries(q.data ?? {})) query = query.where(sql`data->>${sql.lit(field)}`, '=', value);
  return query;
}

/** The events that answer the query, newest first, at most `limit`. */
export async function findEvents(db: Kysely<Database>, q: EventQuery, limit: number): Promise<EventEnvelope[]> {
  const rows = await selectEvents(db, q).selectAll().orderBy('seq', 'desc').limit(limit).execute();
  return rows.map(envelopeOfRow);
}

/** How many events answer the query. */
export async function countEvents(db: Kysely<Database>, q: EventQuery): Promise<number> {
  const row = await selectEvents(db, q).select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  return row?.n ?? 0;
}

/** The `seq` of the newest event of each type (undefined for a type with none), in one statement: an index probe per type. */
export async function lastSeqsOfTypes<T extends string>(db: Kysely<Database>, types: readonly T[]): Promise<Record<T, number | undefined>> {
  const columns = types.map((type, i) => sql`(SELECT max(seq) FROM events WHERE type = ${sql.lit(type)}) AS ${sql.ref(`t${i}`)}`);
  const { rows } = await sql<Record<string, string | null>>`SELECT ${sql.join(columns)}`.execute(db);
  return Object.fromEntries(types.map((type, i) => [type, rows[0]?.[`t${i}`] != null ? Number(rows[0]![`t${i}`]) : undefined])) as Record<T, number | undefined>;
}

/** The `seq` of the newest event that answers the query, or undefined when none does. */
export async function lastSeqOf(db: Kysely<Database>, q: EventQuery): Promise<number | undefined> {
  const row = await selectEvents(db, q).select(sql<string | null>`max(seq)`.as('seq')).executeTakeFirst();
  return row?.seq != null ? Number(row.seq) : undefined;
}

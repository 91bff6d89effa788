import { type Kysely, sql } from 'kysely';
import type { EventEnvelope } from '../../contracts/index.ts';
import type { Risk } from '../../contracts/vocabulary.ts';
import type { Database } from '../db/schema.ts';
import { envelopeOfRow } from '../log/read-envelopes.ts';
import type { AnswerClaim } from './links.ts';

/** The used one-tap links: each may answer once. */
export interface AnswerLinksUsedTable {
  nonce: string;
  decision_id: string;
  person: string;
  outcome: string;
  used_at: Date;
}

/** The key one-tap links are signed with, made once with the database. */
export interface AnswerLinkKeyTable {
  key: string;
  created_at: Date;
}

/** The tables of the notifications feature. */
export interface NotificationsTables {
  answer_links_used: AnswerLinksUsedTable;
  answer_link_key: AnswerLinkKeyTable;
}

/** The key every hub on this database signs and checks one-tap links with. */
export async function answerLinkKey(db: Kysely<Database>): Promise<Buffer> {
  const row = await db.selectFrom('answer_link_key').select('key').executeTakeFirstOrThrow();
  return Buffer.from(row.key, 'base64url');
}

/** The link key, read once and kept (it never changes); a failed read is tried again next time. */
export function linkKeyReader(db: Kysely<Database>): () => Promise<Buffer> {
  let key: Promise<Buffer> | undefined;
  return () => (key ??= answerLinkKey(db).catch((error: unknown) => Promise.reject((key = undefined, error))));
}

/** Marks a link used; false when it was used already (by whichever hub). */
export async function useAnswerLink(db: Kysely<Database>, claim: AnswerClaim): Promise<boolean> {
  const row = await db
    .insertInto('answer_links_used')
    .values({ nonce: claim.nonce, decision_id: claim.decisionId, person: claim.person, outcome: claim.outcome, used_at: sql<Date>`now()` as never })
    .onConflict((oc) => oc.column('nonce').doNothing())
    .returning('nonce')
    .executeTakeFirst();
  return row !== undefined;
}

/** Gives a link back when the answer it carried could not be recorded (the hub failed, not the link). */
export async function releaseAnswerLink(db: Kysely<Database>, nonce: string): Promise<void> {
  await db.deleteFrom('answer_links_used').where('nonce', '=', nonce).execute();
}

/** When a link was used, if it was. */
export async function answerLinkUsedAt(db: Kysely<Database>, nonce: string): Promise<Date | undefined> {
  const row = await db.selectFrom('answer_links_used').select('used_at').where('nonce', '=', nonce).executeTakeFirst();
  return row?.used_at;
}

/** The events with these ids, as envelopes, by id. */
export async function eventsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, EventEnvelope>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('events').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, envelopeOfRow(row)]));
}

/** The agents with these ids, as routes match them: name, template, project. */
export async function routedAgents(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, { id: string; name: string; template: string | null; projectId: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('agents').select(['id', 'name', 'template', 'project_id']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, { id: row.id, name: row.name, template: row.template, projectId: row.project_id }]));
}

/** True when the receiver was sent (or is to be sent) something about the decision: whom a follow-up goes to. */
export async function toldAbout(db: Kysely<Database>, receiverId: string, decisionId: string): Promise<boolean> {
  const { rows } = await sql<{ told: boolean }>`
    SELECT EXISTS (
      SELECT 1 FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
      WHERE d.webhook_id = ${receiverId} AND e.decision_id = ${decisionId} AND e.type IN ('decision.requested', 'decision.reminded')
    ) AS told`.execute(db);
  return rows[0]?.told === true;
}

/** The pending decisions, oldest first, at most `limit`: those reminders may come due for. */
export async function pendingForReminders(db: Kysely<Database>, limit: number): Promise<Array<{ id: string; risk: Risk; agentId: string | null; taskId: string | null; projectId: string; createdAt: Date }>> {
  const rows = await db
    .selectFrom('decisions')
    .select(['id', 'risk', 'agent_id', 'task_id', 'project_id', 'created_at'])
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, risk: row.risk as Risk, agentId: row.agent_id, taskId: row.task_id, projectId: row.project_id, createdAt: row.created_at }));
}

/** The route steps already reminded of, per decision. */
export async function remindedSoFar(db: Kysely<Database>, decisionIds: readonly string[]): Promise<Map<string, Set<number>>> {
  const reminded = new Map<string, Set<number>>();
  if (decisionIds.length === 0) return reminded;
  const rows = await db.selectFrom('events').select(['decision_id', 'data']).where('type', '=', 'decision.reminded').where('decision_id', 'in', decisionIds).execute();
  for (const row of rows) {
    const steps = reminded.get(row.decision_id!) ?? new Set<number>();
    steps.add((row.data as { step: number }).step);
    reminded.set(row.decision_id!, steps);
  }
  return reminded;
}

/** Those of `ids` whose decision still waits. */
export async function stillPending(db: Kysely<Database>, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('decisions').select('id').where('id', 'in', ids).where('status', '=', 'pending').execute();
  return new Set(rows.map((row) => row.id));
}

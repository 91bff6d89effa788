import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { TestHub } from './hub.ts';
import { type Answer, send } from './problem.ts';

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** One request to the hub as the operator (or with the headers given), answered with its raw text too. */
export function call(hub: TestHub, method: string, path: string, body?: unknown, headers: Record<string, string> = hub.auth): Promise<Answer> {
  const json: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  return send(`${hub.url}${path}`, { method, headers: { ...json, ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

/** Asks a decision (as the operator unless told) and returns its view; the ask must succeed. */
export async function ask(hub: TestHub, body: Record<string, unknown>, headers: Record<string, string> = hub.auth): Promise<any> {
  const res = await call(hub, 'POST', '/decisions', { title: 'Deploy to production?', risk: 'medium', ...body }, headers);
  assert.equal(res.status, 201, `asking failed: ${res.text}`);
  return res.body;
}

/** Answers a decision as the operator (or with the headers given). */
export function resolve(hub: TestHub, id: string, outcome: string, headers: Record<string, string> = hub.auth, comment?: string): Promise<Answer> {
  return call(hub, 'POST', `/decisions/${id}/resolve`, { outcome, ...(comment !== undefined ? { comment } : {}) }, headers);
}

/** The types of the events logged about a decision, in order. */
export async function eventTypes(hub: TestHub, decisionId: string): Promise<string[]> {
  const { rows } = await sql<{ type: string }>`select type from events where decision_id = ${decisionId} order by seq`.execute(hub.db);
  return rows.map((r) => r.type);
}

/** Headers of a fresh operator token: another operator, another actor. */
export async function anotherOperator(hub: TestHub): Promise<Record<string, string>> {
  return bearer(await hub.mint('operator'));
}

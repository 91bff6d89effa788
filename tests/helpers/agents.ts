import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { type TestHub, bearer } from './hub.ts';

/** An agent token and a first heartbeat, so the agent is registered and running; returns its headers. */
export async function registeredAgent(hub: TestHub, id: string, body: unknown = {}): Promise<Record<string, string>> {
  const headers = bearer(await hub.mint('agent', id));
  const res = await hub.post(`/agents/${id}/heartbeat`, body, headers);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return headers;
}

/** The events of `type` about `agentId`, oldest first. */
export async function agentEvents(hub: TestHub, agentId: string, type: string): Promise<Array<{ data: any; actor: string }>> {
  const { rows } = await sql<{ data: any; actor: string }>`select data, actor from events where agent_id = ${agentId} and type = ${type} order by seq`.execute(hub.db);
  return rows;
}

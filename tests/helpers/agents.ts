import { sql } from 'kysely';
import { HubClient } from '../../server/client/hub-client.ts';
import { type TestHub, bearer } from './hub.ts';

/** An agent token and a first heartbeat (with the agent's name, when given), so the agent is registered and running; returns its headers. */
export async function registeredAgent(hub: TestHub, id: string, body: { name?: string } = {}): Promise<Record<string, string>> {
  const token = await hub.mint('agent', id);
  await new HubClient({ url: hub.url, token }).agents.heartbeat(id, body.name);
  return bearer(token);
}

/** The events of `type` about `agentId`, oldest first. */
export async function agentEvents(hub: TestHub, agentId: string, type: string): Promise<Array<{ data: any; actor: string }>> {
  const { rows } = await sql<{ data: any; actor: string }>`select data, actor from events where agent_id = ${agentId} and type = ${type} order by seq`.execute(hub.db);
  return rows;
}

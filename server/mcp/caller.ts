import type { HubClient } from '../client/hub-client.ts';
import { HubClientError } from '../client/hub-client.ts';
import type { WhoAmI } from '../client/views.ts';

/**
 * The seam between the tool list and its two homes: on `/mcp` the hub answers the client
 * in-process and the caller is the principal it already checked; under `mc mcp` the client goes
 * over the network and the caller is `GET /whoami`. The tools know nothing else.
 */
export interface McpCaller {
  /** The hub's API as the caller, with its token: the hub's own rules decide every call. */
  hub: HubClient;
  /** Who the token is. */
  whoami(): Promise<WhoAmI>;
}

/**
 * The agent the caller speaks for, or undefined when it speaks for none. The one place that says
 * so: an agent token speaks for its own agent (a role that speaks for another, a coder's session
 * say, is one more case here).
 */
export function agentOf(caller: Pick<WhoAmI, 'role' | 'agentId'>): string | undefined {
  if (caller.role === 'agent' && caller.agentId !== null) return caller.agentId;
  return undefined;
}

/** The caller's agent; for a caller with none, the 403 the hub would give, so the tool refuses it like any other refusal. */
export async function callerAgent(caller: McpCaller): Promise<string> {
  const me = await caller.whoami();
  const agentId = agentOf(me);
  if (agentId !== undefined) return agentId;
  const detail = `the Mission Control tools act for an agent, and this token (${me.actor}, role ${me.role}) speaks for none: use the agent's own token (mc tokens create --role agent --agent <id>)`;
  throw new HubClientError(403, 'forbidden', detail, detail);
}

import type { HubClient } from './hub-client.ts';

/** Where an agent's current run begins in the log, and whether it is paused as of `readTo`. */
export interface AgentStart {
  /** The `seq` of its latest `agent.spawn_requested`, `agent.spawned` or `agent.registered` (0: none yet). */
  startedAt: number;
  paused: boolean;
  /** How far the log was read; pause and resume events up to here are already counted. */
  readTo: number;
}

const types = ['agent.spawn_requested', 'agent.spawned', 'agent.registered', 'agent.paused', 'agent.resumed'];

/**
 * Reads the agent's lifecycle events from the log (a few per run): where its run starts, and its
 * pause state at a known position, so a stream opened afterwards misses nothing and repeats nothing.
 */
export async function findAgentStart(hub: HubClient, agentId: string): Promise<AgentStart> {
  const start: AgentStart = { startedAt: 0, paused: false, readTo: 0 };
  for await (const page of hub.events.pages({ agent: agentId, types, limit: 1000 })) {
    for (const event of page.events) {
      if (event.type === 'agent.paused' || event.type === 'agent.resumed') start.paused = event.type === 'agent.paused';
      else start.startedAt = event.seq;
    }
    start.readTo = page.next;
  }
  return start;
}

import type { ColumnType } from 'kysely';

/** The agents view: one row per agent, folded from the log. */
export interface AgentsTable {
  id: string;
  name: string;
  template: string | null;
  status: string;
  task_id: string | null;
  pending_decision_id: string | null;
  paused_reason: string | null;
  /** `recordedAt` of the latest event about the agent (other than `agent.stale`). */
  last_event_at: ColumnType<Date | null, string | null, string | null>;
  created_at: ColumnType<Date, string, string>;
  last_seq: ColumnType<string, number, number>;
  /** The event that set the current status (for a stale agent: its `agent.stale`). */
  status_seq: ColumnType<string, number, number>;
}

/** When each agent last sent a heartbeat; not a view (heartbeats are not events). */
export interface AgentHeartbeatsTable {
  agent_id: string;
  last_seen_at: ColumnType<Date, Date, Date>;
}

/** The tables of the agents view. */
export interface AgentsTables {
  agents: AgentsTable;
  agent_heartbeats: AgentHeartbeatsTable;
}

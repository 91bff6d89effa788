import type { Selectable } from 'kysely';
import type { AgentStatus, PauseReason } from '../../contracts/vocabulary.ts';
import type { Agent } from './agent.ts';
import type { AgentsTable } from './table.ts';

type AgentRow = Selectable<AgentsTable>;

/** An agents row as the rules see it. */
export function agentOf(row: AgentRow): Agent {
  return {
    id: row.id,
    name: row.name,
    template: row.template,
    status: row.status as AgentStatus,
    taskId: row.task_id,
    pendingDecisionId: row.pending_decision_id,
    pausedReason: row.paused_reason as PauseReason | null,
    lastEventAt: row.last_event_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    lastSeq: Number(row.last_seq),
    statusSeq: Number(row.status_seq),
  };
}

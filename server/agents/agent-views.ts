import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AgentView } from './agent.ts';
import { agentOf } from './agent-row.ts';
import { lastSeenAt } from './rules.ts';

/**
 * The API views of every agent, or of one (`id`), oldest first, with its last heartbeat and its
 * budget (`defaultBudgetUsd` where it has no limit of its own).
 */
export async function agentViews(db: Kysely<Database>, defaultBudgetUsd: number, id?: string): Promise<AgentView[]> {
  let query = db
    .selectFrom('agents as a')
    .leftJoin('agent_heartbeats as h', 'h.agent_id', 'a.id')
    .leftJoin('budgets as b', (join) => join.on('b.scope', '=', 'agent').onRef('b.scope_id', '=', 'a.id'))
    .selectAll('a')
    .select(['h.last_seen_at as heartbeat_at', 'b.spent_usd', 'b.limit_usd']);
  if (id !== undefined) query = query.where('a.id', '=', id);
  const rows = await query.orderBy('a.created_at').orderBy('a.id').execute();
  return rows.map((row) => {
    const agent = agentOf(row);
    return {
      id: agent.id,
      name: agent.name,
      template: agent.template,
      status: agent.status,
      lastSeenAt: lastSeenAt(agent, row.heartbeat_at?.toISOString() ?? null),
      spentUsd: Number(row.spent_usd ?? 0),
      budgetUsd: row.limit_usd !== null ? Number(row.limit_usd) : defaultBudgetUsd,
      pendingDecisionId: agent.pendingDecisionId,
      taskId: agent.taskId,
      pausedReason: agent.pausedReason,
    };
  });
}

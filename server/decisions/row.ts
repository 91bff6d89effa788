import type { Insertable, Selectable } from 'kysely';
import type { DecisionStatus, OnTimeout, Risk } from '../../contracts/vocabulary.ts';
import type { Decision } from './decision.ts';
import type { DecisionsTable } from './table.ts';

/** A stored row as the view the API answers (camelCase, ISO times, nulls where unset). */
export function decisionOfRow(row: Selectable<DecisionsTable>): Decision {
  return {
    id: row.id,
    title: row.title,
    context: row.context,
    options: row.options,
    risk: row.risk as Risk,
    status: row.status as DecisionStatus,
    outcome: row.outcome,
    approvals: row.approvals,
    resolvedBy: row.resolved_by,
    comment: row.comment,
    expiresAt: row.expires_at.toISOString(),
    onTimeout: row.on_timeout as OnTimeout,
    agentId: row.agent_id,
    taskId: row.task_id,
    requestedBy: row.requested_by,
    createdAt: row.created_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    escalatedTo: row.escalated_to,
  };
}

/** The row that stores `decision`, as of the event at `seq`. */
export function rowOfDecision(d: Decision, seq: number): Insertable<DecisionsTable> {
  return {
    id: d.id,
    title: d.title,
    context: d.context,
    options: JSON.stringify(d.options),
    risk: d.risk,
    status: d.status,
    outcome: d.outcome,
    approvals: JSON.stringify(d.approvals),
    resolved_by: d.resolvedBy,
    comment: d.comment,
    expires_at: d.expiresAt,
    on_timeout: d.onTimeout,
    agent_id: d.agentId,
    task_id: d.taskId,
    requested_by: d.requestedBy,
    created_at: d.createdAt,
    resolved_at: d.resolvedAt,
    escalated_to: d.escalatedTo,
    last_seq: seq,
  };
}

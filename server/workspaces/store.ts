import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { loadDecision } from '../decisions/store.ts';
import { findEvents } from '../log/event-query.ts';
import type { WorkspaceRecord } from './model.ts';

/** What the log says of an agent's workspace (index probes by agent and type). */
export async function workspaceRecord(db: Kysely<Database>, agentId: string): Promise<WorkspaceRecord> {
  const [commits, [finished], [request]] = await Promise.all([
    findEvents(db, { agentId, type: 'workspace.committed' }, 1000),
    findEvents(db, { agentId, type: 'workspace.finished' }, 1),
    findEvents(db, { agentId, type: 'workspace.merge_requested' }, 1),
  ]);
  if (request === undefined) return { commits: commits.reverse(), finished, lastMerge: undefined };
  const decision = request.decisionId === undefined ? undefined : await loadDecision(db, request.decisionId);
  const [merged, failed] = await Promise.all(
    (['workspace.merged', 'workspace.merge_failed'] as const).map((type) => findEvents(db, { agentId, type, afterSeq: request.seq }, 1)),
  );
  const outcome = merged!.length > 0 ? 'merged' : failed!.length > 0 ? 'merge_failed' : undefined;
  const status = decision === undefined ? undefined : decision.status === 'resolved' ? (decision.outcome === 'approve' ? 'approved' : 'denied') : decision.status;
  return { commits: commits.reverse(), finished, lastMerge: { request, decision: status, outcome } };
}

/** The merge request a decision was opened for, or undefined. */
export async function mergeRequestOf(db: Kysely<Database>, decisionId: string) {
  const [request] = await findEvents(db, { type: 'workspace.merge_requested', decisionId }, 1);
  return request;
}

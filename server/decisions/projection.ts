import type { Transaction } from 'kysely';
import type { EventEnvelope } from '../../contracts/index.ts';
import { isAgentReport } from '../agents/model.ts';
import type { Database } from '../db/schema.ts';
import { eventOf } from '../log/command.ts';
import type { NewEvent, Projection } from '../log/event.ts';
import { evolve, linkEscalation } from './evolve.ts';
import { type DecisionFact, cancelKey } from './model.ts';
import { askerEndedReason, decideCancel, refuseForeignDecision } from './rules.ts';
import { expiredDecisionOf, loadDecision, pendingAskedBy, saveDecision, subjectProject } from './store.ts';

/**
 * The inbox, folded from `decision.*` events. A request caused by a `decision.expired` event is
 * the escalation of the decision that expired, which then points to it (`escalated_to`). An
 * agent's report may name only a decision that agent asked. When an agent ends (exits or fails),
 * it reacts by cancelling the decisions the agent still waits on.
 */
export function decisionsProjection(): Projection {
  return {
    name: 'decisions',
    tables: ['decisions'],
    // apply: a decision's own events; react: its asker's end.
    concerns: (event) => (event.type.startsWith('decision.') && event.decisionId !== undefined) || askerEndedReason(event) !== undefined,
    async apply(trx, event) {
      if (!event.type.startsWith('decision.') || event.decisionId === undefined) return;
      const current = await loadDecision(trx, event.decisionId);
      const fact = factOf(event, event.decisionId);
      // A decision belongs to its agent's project, else its task's, else the one it was asked in.
      if (event.type === 'decision.requested') fact.data = { ...fact.data, projectId: (await subjectProject(trx, fact.agentId, fact.taskId)) ?? event.data.projectId ?? 'default' };
      const next = evolve(current, fact);
      if (next === undefined || next === current) return;
      await saveDecision(trx, next, event.seq);
      if (current === undefined && event.causationId !== undefined) await linkToExpired(trx, event.causationId, next.id, event.seq);
    },
    guard: { applies: (event) => event.decisionId !== null && isAgentReport(event), check: guardAgentDecision },
    async react(trx, event) {
      const reason = askerEndedReason(event);
      if (reason === undefined || event.agentId === undefined) return [];
      const pending = await pendingAskedBy(trx, event.agentId);
      return pending.flatMap((decision) =>
        decideCancel(decision, { by: 'hub', reason }).map((change) =>
          eventOf({ ...change, idempotencyKey: cancelKey(decision.id, event.id) }, { actor: 'hub', agentId: decision.agentId, taskId: decision.taskId, cause: event }),
        ),
      );
    },
  };
}

async function linkToExpired(trx: Transaction<Database>, causationId: string, escalatedTo: string, seq: number): Promise<void> {
  const expiredId = await expiredDecisionOf(trx, causationId);
  if (expiredId === undefined) return;
  const expired = await loadDecision(trx, expiredId);
  if (expired === undefined) return;
  const linked = linkEscalation(expired, escalatedTo);
  if (linked !== expired) await saveDecision(trx, linked, seq);
}

function factOf(event: EventEnvelope, decisionId: string): DecisionFact {
  return {
    type: event.type,
    decisionId,
    actor: event.actor,
    agentId: event.agentId ?? null,
    taskId: event.taskId ?? null,
    recordedAt: event.recordedAt,
    data: event.data,
  };
}

/** Refuses (403) an agent's report that names a decision it did not ask. */
export async function guardAgentDecision(trx: Transaction<Database>, event: NewEvent): Promise<void> {
  const refusal = refuseForeignDecision(event.agentId!, event.decisionId!, await loadDecision(trx, event.decisionId!));
  if (refusal !== undefined) throw refusal;
}

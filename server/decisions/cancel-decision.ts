import { HubError } from '../errors.ts';
import { handleCommand } from '../log/command.ts';
import type { EventAppender } from '../log/group-commit.ts';
import { loadDecision } from './load-decision.ts';
import { type DecisionCancel, decideCancel, mayCancel } from './rules.ts';

/** Who cancels: the actor and role of the caller. */
export interface Canceller {
  role: string;
  actor: string;
}

/**
 * Withdraws a pending decision inside the append transaction, after the log lock: a cancel and
 * an answer racing each other see one another, so only the first settles it (the other is a 409).
 */
export async function cancelDecision(appender: EventAppender, id: string, canceller: Canceller, reason: string | undefined, requestId: string): Promise<void> {
  const cancel: DecisionCancel = { by: canceller.actor, ...(reason !== undefined ? { reason } : {}) };
  await handleCommand(
    appender,
    async (trx) => {
      const decision = await loadDecision(trx, id);
      if (decision === undefined) throw new HubError('not_found', `no decision ${id}; GET /decisions lists them`);
      return decision;
    },
    (decision) => {
      if (!mayCancel(canceller, decision)) {
        throw new HubError('forbidden', `a ${canceller.role} token cancels only decisions it asked; ${id} was asked by ${decision.requestedBy}`);
      }
      return decideCancel(decision, cancel);
    },
    (decision) => ({ actor: canceller.actor, agentId: decision.agentId, taskId: decision.taskId, requestId }),
  );
}

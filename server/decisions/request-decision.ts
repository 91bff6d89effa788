import { HubError } from '../errors.ts';
import type { EventAppender } from '../log/group-commit.ts';
import type { DecisionAsk } from './decision.ts';
import { eventOf } from '../log/command.ts';
import { findEventByKey } from '../log/find-event.ts';
import { decisionKey } from './decision-event.ts';
import { loadDecision } from './load-decision.ts';
import { decideRequest, sameAsk } from './rules.ts';

export interface Asker {
  actor: string;
  /** The client's `Idempotency-Key`, if it sent one. */
  key: string | undefined;
  requestId: string;
}

/**
 * Opens a decision (resolved by policy at once when low risk). A retry under the same key
 * returns the decision that key opened (`retried`); the key with a different request is a 409.
 */
export async function requestDecision(appender: EventAppender, ask: DecisionAsk, asker: Asker): Promise<{ decisionId: string; retried: boolean }> {
  // Keys are per asker, so one agent's key never finds another's decision.
  const key = asker.key === undefined ? decisionKey(ask.id, 'requested') : `decision-request:${asker.actor}:${asker.key}`;
  let result = { decisionId: ask.id, retried: false };
  await appender.execute(async (trx) => {
    if (asker.key !== undefined) {
      const earlier = await findEventByKey(trx, key);
      if (earlier !== undefined) {
        const decision = earlier.type === 'decision.requested' && earlier.decisionId !== undefined ? await loadDecision(trx, earlier.decisionId) : undefined;
        if (decision === undefined || !sameAsk(decision, ask)) {
          throw new HubError('idempotency_conflict', `Idempotency-Key "${asker.key}" already opened another decision${decision ? ` (${decision.id})` : ''}; use a new key for a new decision`);
        }
        result = { decisionId: decision.id, retried: true };
        return [];
      }
    }
    return decideRequest(ask).map((change) =>
      eventOf(
        { ...change, idempotencyKey: change.type === 'decision.requested' ? key : decisionKey(ask.id, 'resolved') },
        { actor: asker.actor, agentId: ask.agentId, taskId: ask.taskId, ...(asker.requestId !== undefined ? { requestId: asker.requestId } : {}) },
      ),
    );
  });
  return result;
}

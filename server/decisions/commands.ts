import type { Origin } from '../../contracts/index.ts';
import type { Clock } from '../clock.ts';
import { aRole } from '../auth/roles.ts';
import { personOf } from '../auth/tokens.ts';
import { HubError } from '../errors.ts';
import { eventOf, handleCommand } from '../log/command.ts';
import type { NewEvent } from '../log/event.ts';
import { findEventByKey } from '../log/find-event.ts';
import type { EventAppender } from '../log/group-commit.ts';
import { type DecisionAsk, decisionKey, newDecisionId } from './model.ts';
import { type DecisionAnswer, type DecisionCancel, decideCancel, decideExpiry, decideRequest, decideResolve, mayCancel, sameAsk } from './rules.ts';
import { existingDecision, loadDecision } from './store.ts';

export interface Asker {
  actor: string;
  /** The client's `Idempotency-Key`, if it sent one. */
  key: string | undefined;
  origin: Origin;
}

/**
 * Opens a decision (resolved by policy at once when low risk). A retry under the same key
 * returns the decision that key opened (`retried`); the key with a different request is a 409.
 * `before` are events of the asker's own that the decision is about, appended with it, first.
 */
export async function requestDecision(appender: EventAppender, ask: DecisionAsk, asker: Asker, before: readonly NewEvent[] = []): Promise<{ decisionId: string; retried: boolean }> {
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
    return [
      ...before,
      ...decideRequest(ask).map((change) =>
        eventOf(
          { ...change, idempotencyKey: change.type === 'decision.requested' ? key : decisionKey(ask.id, 'resolved') },
          { actor: asker.actor, agentId: ask.agentId, taskId: ask.taskId, origin: asker.origin },
        ),
      ),
    ];
  });
  return result;
}

/**
 * Answers a decision inside the append transaction, after the log lock: of two concurrent
 * answers the second sees the first, so only one can win. (Its events take keys no client can
 * know, so no one can block an answer by taking its key first through POST /events.)
 */
export async function resolveDecision(appender: EventAppender, id: string, answer: DecisionAnswer, clock: Clock, origin: Origin): Promise<void> {
  await handleCommand(
    appender,
    async (trx) => {
      const decision = await existingDecision(trx, id);
      return { decision, askerPerson: answer.person === undefined ? undefined : await personOf(trx, decision.requestedBy) };
    },
    ({ decision, askerPerson }) => decideResolve(decision, answer, clock.now(), askerPerson),
    // The asking agent and its task: every event of a decision carries them, so agent and task filters see it.
    ({ decision }) => ({ actor: answer.by, agentId: decision.agentId, taskId: decision.taskId, origin }),
  );
}

/** Who cancels: the actor and role of the caller. */
export interface Canceller {
  role: string;
  actor: string;
}

/**
 * Withdraws a pending decision inside the append transaction, after the log lock: a cancel and
 * an answer racing each other see one another, so only the first settles it (the other is a 409).
 */
export async function cancelDecision(appender: EventAppender, id: string, canceller: Canceller, reason: string | undefined, origin: Origin): Promise<void> {
  const cancel: DecisionCancel = { by: canceller.actor, ...(reason !== undefined ? { reason } : {}) };
  await handleCommand(
    appender,
    (trx) => existingDecision(trx, id),
    (decision) => {
      if (!mayCancel(canceller, decision)) {
        throw new HubError('forbidden', `${aRole(canceller.role)} token cancels only decisions it asked; ${id} was asked by ${decision.requestedBy}`);
      }
      return decideCancel(decision, cancel);
    },
    (decision) => ({ actor: canceller.actor, agentId: decision.agentId, taskId: decision.taskId, origin }),
  );
}

/**
 * Applies a passed deadline, re-checked inside the append transaction (still pending, past due).
 * Keys derived from the decision make a second run, by this hub or another, append nothing.
 * Returns the number of events appended.
 */
export async function expireDecision(appender: EventAppender, id: string, now: Date, escalationExpiresInSec: number): Promise<number> {
  const receipts = await appender.execute(async (trx) => {
    const decision = await loadDecision(trx, id);
    if (decision === undefined) return [];
    const escalation = { id: newDecisionId(), expiresAt: new Date(now.getTime() + escalationExpiresInSec * 1000).toISOString() };
    const events: NewEvent[] = [];
    for (const change of decideExpiry(decision, now, escalation)) {
      const expired = change.type === 'decision.expired';
      const key = decisionKey(id, expired ? 'expired' : 'escalation');
      events.push(
        eventOf(
          // Still pending, so a stored event under this key is a client's (POST /events): do not let it block the deadline.
          (await findEventByKey(trx, key)) === undefined ? { ...change, idempotencyKey: key } : change,
          // The escalation points at the expiry that caused it; the view links the two through it.
          { actor: 'hub', agentId: decision.agentId, taskId: decision.taskId, ...(expired ? {} : { cause: { id: events[0]!.id } }) },
        ),
      );
    }
    return events;
  });
  return receipts.filter((r) => !r.deduped).length;
}

import type { EventAppender } from '../log/group-commit.ts';
import type { NewEvent } from '../log/event.ts';
import { eventOf } from '../log/command.ts';
import { findEventByKey } from '../log/find-event.ts';
import { decisionKey } from './decision-event.ts';
import { newDecisionId } from './decision-id.ts';
import { loadDecision } from './load-decision.ts';
import { decideExpiry } from './rules.ts';

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

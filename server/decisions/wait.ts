import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EventFrame } from '../log/event.ts';
import { readWhenHeard } from '../stream/await-frames.ts';
import type { EventFanout } from '../stream/fanout.ts';
import type { Decision } from './model.ts';
import { loadDecision } from './store.ts';

const endings = new Set(['decision.resolved', 'decision.expired', 'decision.cancelled']);

/**
 * Waits until a pending decision is answered, expires or is cancelled, or `timeoutMs` passes, or
 * the client goes.
 */
export async function awaitDecision(db: Kysely<Database>, fanout: EventFanout, pending: Decision, timeoutMs: number, signal: AbortSignal): Promise<Decision> {
  const ends = (frame: EventFrame) =>
    endings.has(frame.type) && frame.wire.includes(pending.id) && (JSON.parse(frame.wire) as { decisionId?: string }).decisionId === pending.id;
  return readWhenHeard(fanout, ends, async () => (await loadDecision(db, pending.id)) ?? pending, (now) => now.status !== 'pending', timeoutMs, signal);
}

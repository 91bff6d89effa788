import type { Kysely, Selectable } from 'kysely';
import type { EventEnvelope } from '../../contracts/index.ts';
import type { Database, EventsTable } from '../db/schema.ts';
import { envelope } from './event.ts';

/** Up to `limit` events after `after`, in `seq` order, as the envelopes projections were given live. */
export async function readEnvelopesAfter(db: Kysely<Database>, after: number, limit: number): Promise<EventEnvelope[]> {
  const rows = await db
    .selectFrom('events')
    .select(['seq', 'id', 'type', 'actor', 'agent_id', 'task_id', 'decision_id', 'correlation_id', 'causation_id', 'recorded_at', 'data'])
    .where('seq', '>', String(after))
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(envelopeOfRow);
}

type EnvelopeRow = Pick<Selectable<EventsTable>, 'seq' | 'id' | 'type' | 'actor' | 'agent_id' | 'task_id' | 'decision_id' | 'correlation_id' | 'causation_id' | 'recorded_at' | 'data'>;

/** A stored row as the envelope projections and readers get. */
export function envelopeOfRow(r: EnvelopeRow): EventEnvelope {
  const head = { seq: Number(r.seq), id: r.id, type: r.type, actor: r.actor, recordedAt: r.recorded_at.toISOString(), data: r.data as Record<string, unknown> };
  return envelope(head, { agentId: r.agent_id, taskId: r.task_id, decisionId: r.decision_id, correlationId: r.correlation_id, causationId: r.causation_id });
}

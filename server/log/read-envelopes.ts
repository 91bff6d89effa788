import type { Kysely, Selectable } from 'kysely';
import type { EventEnvelope } from '../../contracts/index.ts';
import type { Database, EventsTable } from '../db/schema.ts';
import { envelope } from './event.ts';
import { type PageSize, readAfter } from './read-after.ts';

/** The events after `after`, in `seq` order, as the envelopes projections were given live; a read cut like `readAfter`'s. */
export async function readEnvelopesAfter(db: Kysely<Database>, after: number, size: PageSize): Promise<{ envelopes: EventEnvelope[]; full: boolean }> {
  const { frames, full } = await readAfter(db, after, size);
  return { envelopes: frames.map((frame) => JSON.parse(frame.wire) as EventEnvelope), full };
}

type EnvelopeRow = Pick<Selectable<EventsTable>, 'seq' | 'id' | 'type' | 'actor' | 'agent_id' | 'task_id' | 'decision_id' | 'correlation_id' | 'causation_id' | 'trace_id' | 'span_id' | 'recorded_at' | 'data'>;

/** A stored row as the envelope projections and readers get. */
export function envelopeOfRow(r: EnvelopeRow): EventEnvelope {
  const head = { seq: Number(r.seq), id: r.id, type: r.type, actor: r.actor, recordedAt: r.recorded_at.toISOString(), data: r.data as Record<string, unknown> };
  return envelope(head, { agentId: r.agent_id, taskId: r.task_id, decisionId: r.decision_id, correlationId: r.correlation_id, causationId: r.causation_id, traceId: r.trace_id, spanId: r.span_id });
}

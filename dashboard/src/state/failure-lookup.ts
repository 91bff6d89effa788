import type { EventEnvelope } from './types.ts';

/** The id of the failure event a heal is about. */
export function failureIdOf(heal: EventEnvelope): string | undefined {
  const id = heal.data.failureEventId;
  return typeof id === 'string' ? id : undefined;
}

/** What a heal's failure reads as for a person: who failed and, when the failure is in memory, its error. */
export function failureLabel(heal: EventEnvelope, known: readonly EventEnvelope[], agentName: string | undefined): string {
  const id = failureIdOf(heal);
  const error = known.find((e) => e.id === id)?.data.error;
  return `${agentName ?? 'An agent'} failed${typeof error === 'string' ? `: ${error}` : ''}`;
}

/**
 * The failure event a heal answers: from the events in memory when it is there, else read by its
 * id (`GET /events/:id`, undefined when the log has no such event). Undefined for a heal that names none.
 */
export async function findFailure(heal: EventEnvelope, known: readonly EventEnvelope[], read: (id: string) => Promise<EventEnvelope | undefined>): Promise<EventEnvelope | undefined> {
  const id = failureIdOf(heal);
  if (!id) return undefined;
  return known.find((e) => e.id === id) ?? read(id);
}

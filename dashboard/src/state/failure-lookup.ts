import { type ReadPage, eachPage } from '../../../server/client/pagination.ts';
import type { EventEnvelope } from './types.ts';

/** The id of the failure event a heal is about. */
export function failureIdOf(heal: EventEnvelope): string | undefined {
  const id = heal.data.failureEventId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * The failure event a heal answers: from the events in memory when it is there, else from the
 * log, reading that agent's events (`GET /events?agent=`) up to the heal. Undefined when not found.
 */
export async function findFailure(heal: EventEnvelope, known: readonly EventEnvelope[], read: ReadPage, maxPages = 50): Promise<EventEnvelope | undefined> {
  const id = failureIdOf(heal);
  if (!id) return undefined;
  const inMemory = known.find((e) => e.id === id);
  if (inMemory || !heal.agentId) return inMemory;
  let pages = 0;
  for await (const page of eachPage(read, { after: 0, limit: 1000, agent: heal.agentId, until: heal.seq })) {
    const found = page.events.find((e) => e.id === id);
    if (found || ++pages >= maxPages) return found;
  }
  return undefined;
}

import type { EventPage, PageQuery } from './hub-api.ts';
import type { EventEnvelope } from './types.ts';

type ReadPage = (query: PageQuery) => Promise<EventPage>;

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
  let after = 0;
  for (let pages = 0; pages < maxPages; pages++) {
    const page = await read({ after, limit: 1000, agent: heal.agentId });
    const found = page.events.find((e) => e.id === id);
    if (found) return found;
    const last = page.events.at(-1);
    if (!last || last.seq >= heal.seq) return undefined;
    after = page.next;
  }
  return undefined;
}

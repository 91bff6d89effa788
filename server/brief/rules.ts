import { invalidInput } from '../errors.ts';

/** The most entries one list of the brief holds; the store reads one more to tell a cut list. */
export const briefListMax = 100;

/** How far back `since` may reach: a month's runs are the most a brief sums. */
export const maxBriefDays = 31;

const dayMs = 24 * 60 * 60 * 1000;

// RFC 3339: a date, a time and an offset, so `since` is one instant wherever the client is.
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** Where the brief starts: `?since=` (RFC 3339, at most `maxBriefDays` before `now`), else 24 hours before `now`. */
export function sinceOf(value: string | undefined, now: Date): Date {
  if (value === undefined || value === '') return new Date(now.getTime() - dayMs);
  const shown = JSON.stringify(value.slice(0, 40));
  const at = dateTime.test(value) ? new Date(value) : undefined;
  if (at === undefined || Number.isNaN(at.getTime())) {
    throw invalidInput([{ path: '?since', message: `must be an RFC 3339 date-time with an offset, e.g. 2025-03-13T09:00:00Z (got ${shown}); leave it out for the last 24 hours` }]);
  }
  if (now.getTime() - at.getTime() > maxBriefDays * dayMs) {
    throw invalidInput([{ path: '?since', message: `may reach back at most ${maxBriefDays} days, to ${new Date(now.getTime() - maxBriefDays * dayMs).toISOString()} (got ${shown})` }]);
  }
  return at;
}

/** A list the store read with one entry more than `briefListMax`: the entries kept, and whether it was cut. */
export function capped<T>(rows: readonly T[]): { list: T[]; cut: boolean } {
  return { list: rows.slice(0, briefListMax), cut: rows.length > briefListMax };
}

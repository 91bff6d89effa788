import { type RawBuilder, sql } from 'kysely';
import { invalidInput } from '../errors.ts';

/** The longest `?q=` a page read takes, in characters. */
export const maxSearchChars = 200;

// The words of an event's data, word for word the expression the GIN index `events_search` holds
// (migration 2026-12-02T00-00-event-search): the planner uses the index only for the same
// expression. Every string value of `data`, parsed by the `simple` configuration (no stemming, no
// stop words), so ids, commands and paths are found as written. Data over 128 KiB of JSON is not
// indexed: a tsvector is at most 1 MiB, and an event the index could not hold would fail to append.
const searchedWords = sql`(CASE WHEN octet_length(data::text) <= 131072 THEN jsonb_to_tsvector('simple', data, '["string"]') ELSE ''::tsvector END)`;

/** True for an event whose data answers `q` as web search syntax: words (all of them), "a phrase", -excluded, or. */
export function searchMatch(q: string): RawBuilder<boolean> {
  return sql<boolean>`${searchedWords} @@ websearch_to_tsquery('simple', ${q})`;
}

/** `?q=` checked: 1 to 200 characters, no control characters, at least one letter or digit to look for; else a 400 naming `?q`. */
export function parseSearch(value: string): string {
  const shown = JSON.stringify(value.slice(0, 40));
  const refuse = (message: string) => invalidInput([{ path: '?q', message }]);
  if (value.trim() === '' || value.length > maxSearchChars) throw refuse(`must be 1 to ${maxSearchChars} characters of words to look for in events' data (got ${value.length})`);
  if (/\p{Cc}/u.test(value)) throw refuse(`must not hold control characters (got ${shown})`);
  if (!/[\p{L}\p{N}]/u.test(value)) throw refuse(`has no word to look for: give letters or digits, e.g. q=timeout or q="npm run build" -lint (got ${shown})`);
  return value;
}

import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EventFrame } from '../log/event.ts';
import { type EventFilter, matches } from '../log/filter.ts';
import type { PageSize, PageStart } from '../log/read-after.ts';

const gunzipped = promisify(gunzip);

interface ArchiveRow {
  id: string;
  first_seq: string;
  last_seq: string;
}

/** An archived event as read back: its frame, and the decision it names (for a project's page). */
type ArchivedFrame = EventFrame & { decisionId: string | null };

/**
 * A JSON page of the log with the archived events put back in their places: `hot` is the page
 * read from the log (`full` when it stopped at its size), and the archives are read for the same
 * stretch of seqs, through the same filter, then both are merged and cut to the page's size.
 */
export async function withArchived(db: Kysely<Database>, from: PageStart, size: PageSize, filter: EventFilter, hot: readonly EventFrame[], full: boolean): Promise<EventFrame[]> {
  const ascending = 'after' in from;
  // A full page of the log ends where its last event is: archived events past it belong to the next page.
  const edge = full ? hot.at(-1)!.seq : ascending ? Number.MAX_SAFE_INTEGER : 0;
  const inside = (seq: number) => (ascending ? seq > from.after && seq <= edge : seq < from.before && seq >= edge);
  const order = (a: EventFrame, b: EventFrame) => (ascending ? a.seq - b.seq : b.seq - a.seq);
  const beyond = (seq: number, last: number) => (ascending ? seq > last : seq < last);
  const candidates: EventFrame[] = [...hot];
  for (const archive of await archivesOver(db, from, edge, filter)) {
    // Archives come in the page's order of their nearer end: once the page is full before one starts, none after it can enter.
    if (candidates.length >= size.limit) {
      candidates.sort(order);
      if (beyond(Number(ascending ? archive.first_seq : archive.last_seq), candidates[size.limit - 1]!.seq)) break;
    }
    const frames = (await archivedFrames(db, archive.id)).filter((f) => inside(f.seq) && matches(filter, f));
    candidates.push(...(await ofProject(db, filter.projectId, frames)));
  }
  candidates.sort(order);
  const page: EventFrame[] = [];
  let bytes = 0;
  for (const frame of candidates) {
    if (page.length === size.limit || (page.length > 0 && bytes >= size.maxBytes)) break;
    page.push(frame);
    bytes += frame.wire.length;
  }
  return page;
}

/** The archives that may hold events of the page, of the filter's types, nearest first. */
async function archivesOver(db: Kysely<Database>, from: PageStart, edge: number, filter: EventFilter): Promise<ArchiveRow[]> {
  const typed = filter.types.length > 0 || filter.typePrefixes.length > 0;
  const ofTypes = typed ? sql`AND (type = ANY(${filter.types}::text[]) OR type ^@ ANY(${filter.typePrefixes}::text[]))` : sql``;
  const { rows } =
    'after' in from
      ? await sql<ArchiveRow>`SELECT id, first_seq, last_seq FROM event_archives WHERE last_seq > ${from.after} AND first_seq <= ${edge} ${ofTypes} ORDER BY first_seq`.execute(db)
      : await sql<ArchiveRow>`SELECT id, first_seq, last_seq FROM event_archives WHERE first_seq < ${from.before} AND last_seq >= ${edge} ${ofTypes} ORDER BY last_seq DESC`.execute(db);
  return rows;
}

/** The events of one archive, in seq order. */
async function archivedFrames(db: Kysely<Database>, id: string): Promise<ArchivedFrame[]> {
  const { rows } = await sql<{ ndjson_gz: Buffer }>`SELECT ndjson_gz FROM event_archives WHERE id = ${id}`.execute(db);
  const text = (await gunzipped(rows[0]!.ndjson_gz)).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((wire) => {
      const e = JSON.parse(wire) as { seq: number; type: string; agentId?: string; taskId?: string; decisionId?: string };
      return { seq: e.seq, type: e.type, agentId: e.agentId ?? null, taskId: e.taskId ?? null, decisionId: e.decisionId ?? null, wire };
    });
}

/** The frames about an agent, a task or a decision of the project (all of them when none is asked): the rule of the log's own reads. */
async function ofProject(db: Kysely<Database>, projectId: string | undefined, frames: ArchivedFrame[]): Promise<ArchivedFrame[]> {
  if (projectId === undefined || frames.length === 0) return frames;
  const ids = (key: 'agentId' | 'taskId' | 'decisionId') => [...new Set(frames.flatMap((f) => (f[key] === null ? [] : [f[key]!])))];
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM agents WHERE project_id = ${projectId} AND id = ANY(${ids('agentId')}::text[])
    UNION SELECT id FROM tasks WHERE project_id = ${projectId} AND id = ANY(${ids('taskId')}::text[])
    UNION SELECT id FROM decisions WHERE project_id = ${projectId} AND id = ANY(${ids('decisionId')}::text[])`.execute(db);
  const members = new Set(rows.map((r) => r.id));
  return frames.filter((f) => [f.agentId, f.taskId, f.decisionId].some((id) => id !== null && members.has(id)));
}

// The log's readers are served each event's envelope as JSON text that PostgreSQL builds from the
// row. It must be exactly the text JSON.stringify would give for the same fields, whatever the
// strings hold and whatever time zone the connection speaks in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kysely, PostgresDialect, type Selectable, sql } from 'kysely';
import pg from 'pg';
import { RowStream } from '../../server/db/row-stream.ts';
import type { Database, EventsTable } from '../../server/db/schema.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { type FrameRow, readAfter, readBefore, streamAfter } from '../../server/log/read-after.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';

let database: TestDatabase;
let db: Kysely<Database>;

before(async () => {
  database = await testDatabase();
  // A connection far from UTC: the envelope's time must still be UTC.
  const pool = new pg.Pool({ connectionString: database.url, max: 2, options: '-c TimeZone=Asia/Kathmandu' });
  db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: RowStream }) });
  await migrateToLatest(db);
});
after(async () => {
  await db?.destroy();
  await database?.drop();
});

// Every character JSON escapes, and some it must leave alone.
const odd = `q"b\\s/\b\f\n\r\t\u0001\u001f\u007f é \u2028\u2029 😀 </script>`;

/** A row as inserted here: the time and the data as the text PostgreSQL reads them. */
type Row = Omit<Selectable<EventsTable>, 'seq' | 'idempotency_key' | 'payload_hash' | 'recorded_at' | 'data'> & { recorded_at: string; data: string };

const rows: Row[] = [
  {
    id: `ev-${odd}`,
    type: `x.${odd}`,
    actor: `operator:${odd}`,
    agent_id: `a-${odd}`,
    task_id: `t-${odd}`,
    decision_id: `d-${odd}`,
    correlation_id: `c-${odd}`,
    causation_id: `k-${odd}`,
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    span_id: '00f067aa0ba902b7',
    recorded_at: '2026-03-04 05:06:07.891999+00',
    data: JSON.stringify({ note: odd, n: [1, 2.5, null, true], nested: { deep: { er: 'x' } } }),
  },
  {
    id: 'ev-bare',
    type: 'x.bare',
    actor: 'agent:a1',
    agent_id: null,
    task_id: null,
    decision_id: null,
    correlation_id: null,
    causation_id: null,
    trace_id: null,
    span_id: null,
    recorded_at: '2026-12-31 23:59:59+00',
    data: '{}',
  },
  {
    id: 'ev-some',
    type: 'task.created',
    actor: 'agent:a2',
    agent_id: null,
    task_id: 'tsk_1',
    decision_id: null,
    correlation_id: 'corr-1',
    causation_id: null,
    trace_id: null,
    span_id: null,
    recorded_at: '1999-01-01 00:00:00.0005+00',
    data: '{"title":"x"}',
  },
];

/** The text JSON.stringify gives for the same envelope, `data` as PostgreSQL prints it. */
function expectedWire(seq: number, r: Row, dataText: string): string {
  const head: Record<string, unknown> = { seq, id: r.id, type: r.type, actor: r.actor };
  const subjects = { agentId: r.agent_id, taskId: r.task_id, decisionId: r.decision_id, correlationId: r.correlation_id, causationId: r.causation_id, traceId: r.trace_id, spanId: r.span_id };
  for (const [name, value] of Object.entries(subjects)) if (value !== null) head[name] = value;
  head.recordedAt = new Date(r.recorded_at).toISOString();
  return `${JSON.stringify(head).slice(0, -1)},"data":${dataText}}`;
}

describe('the envelope text of a stored event', () => {
  let seqs: number[];
  let dataTexts: string[];

  before(async () => {
    seqs = [];
    dataTexts = [];
    for (const [i, r] of rows.entries()) {
      const { rows: written } = await sql<{ seq: string; data_text: string }>`
        INSERT INTO events (id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id, trace_id, span_id, recorded_at, idempotency_key, payload_hash, data)
        VALUES (${r.id}, ${r.type}, ${r.actor}, ${r.agent_id}, ${r.task_id}, ${r.decision_id}, ${r.correlation_id}, ${r.causation_id}, ${r.trace_id}, ${r.span_id},
                ${r.recorded_at}::timestamptz, ${`key-${i}`}, 'h', ${r.data}::jsonb)
        RETURNING seq, data::text AS data_text`.execute(db);
      seqs.push(Number(written[0]!.seq));
      dataTexts.push(written[0]!.data_text);
    }
  });

  test('is, byte for byte, what JSON.stringify gives: every escape, only the subjects it has, the time in UTC to the millisecond', async () => {
    const { frames } = await readAfter(db, 0, { limit: 100, maxBytes: 1 << 20 });
    assert.deepEqual(
      frames.map((f) => f.wire),
      rows.map((r, i) => expectedWire(seqs[i]!, r, dataTexts[i]!)),
    );
    assert.deepEqual(JSON.parse(frames[0]!.wire).data.note, odd, 'the data round-trips');
    assert.equal(JSON.parse(frames[0]!.wire).recordedAt, '2026-03-04T05:06:07.891Z', 'microseconds are cut, as Date cuts them');
    assert.equal(JSON.parse(frames[2]!.wire).recordedAt, '1999-01-01T00:00:00.000Z');
  });

  test('carries what readers filter on beside the text', async () => {
    const { frames } = await readBefore(db, Number.MAX_SAFE_INTEGER, { limit: 100, maxBytes: 1 << 20 });
    assert.deepEqual(
      frames.map(({ seq, type, agentId, taskId }) => ({ seq, type, agentId, taskId })),
      rows.map((r, i) => ({ seq: seqs[i], type: r.type, agentId: r.agent_id, taskId: r.task_id })).reverse(),
    );
  });

  test('counts the envelope against the byte budget: a page stops after the event that reaches it', async () => {
    const first = Buffer.byteLength(expectedWire(seqs[0]!, rows[0]!, dataTexts[0]!));
    const exactly = await readAfter(db, 0, { limit: 100, maxBytes: first });
    assert.deepEqual({ seqs: exactly.frames.map((f) => f.seq), full: exactly.full }, { seqs: [seqs[0]], full: true });
    const more = await readAfter(db, 0, { limit: 100, maxBytes: first + 1 });
    assert.deepEqual(more.frames.map((f) => f.seq), seqs.slice(0, 2));
  });
});

describe('a page read as its rows arrive', () => {
  test('hands over the rows readAfter reads, in order, as they arrive (at most a thousand at a time), and ends where that page ends', async () => {
    const { rows } = await sql<{ seq: string }>`
      INSERT INTO events (id, type, actor, idempotency_key, payload_hash, data)
      SELECT 'ev-many-' || g, 'x.many', 'agent:a3', 'many-' || g, 'h', jsonb_build_object('g', g) FROM generate_series(1, 2500) g
      RETURNING seq`.execute(db);
    const from = Math.min(...rows.map((r) => Number(r.seq))) - 1;
    const size = { limit: 2400, maxBytes: 1 << 22 };
    const chunks: FrameRow[][] = [];
    const events = await streamAfter(db, from, size, undefined, (chunk) => chunks.push([...chunk]));
    const read = await readAfter(db, from, size);
    assert.ok(chunks.length > 1 && chunks.every((c) => c.length > 0 && c.length <= 1000), `chunks of ${chunks.map((c) => c.length)}`);
    assert.deepEqual(chunks.flat().map((r) => [Number(r.seq), r.wire]), read.frames.map((f) => [f.seq, f.wire]));
    assert.equal(events, 2400);
  });

  test('stops at the byte budget as readAfter does, and past the end hands over nothing', async () => {
    const head = Number((await sql<{ seq: string }>`SELECT max(seq) AS seq FROM events`.execute(db)).rows[0]!.seq);
    const first = (await readAfter(db, head - 10, { limit: 1, maxBytes: 1 << 20 })).frames[0]!;
    const seqs = async (maxBytes: number) => {
      const seen: number[] = [];
      const events = await streamAfter(db, head - 10, { limit: 100, maxBytes }, undefined, (rows) => seen.push(...rows.map((r) => Number(r.seq))));
      assert.equal(events, seen.length);
      return seen;
    };
    assert.deepEqual(await seqs(Buffer.byteLength(first.wire)), [first.seq]);
    assert.deepEqual(await seqs(1 << 20), Array.from({ length: 10 }, (_, i) => head - 9 + i));
    assert.equal(await streamAfter(db, head, { limit: 100, maxBytes: 1 << 20 }, undefined, () => assert.fail('no rows after the head')), 0);
  });
});

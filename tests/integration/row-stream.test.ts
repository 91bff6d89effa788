// RowStream is the dialect's cursor: kysely's stream() hands over a result's rows as they arrive.
// A failure reaches the reader, and the connection goes back to the pool however the read ends.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { RowStream } from '../../server/db/row-stream.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';

let database: TestDatabase;
let pool: pg.Pool;
let db: Kysely<Record<string, never>>;

before(async () => {
  database = await testDatabase();
  // One connection: a stream that kept it would leave every later query waiting.
  pool = new pg.Pool({ connectionString: database.url, max: 1 });
  db = new Kysely({ dialect: new PostgresDialect({ pool, cursor: RowStream }) });
});
after(async () => {
  await db?.destroy();
  await database?.drop();
});

const stream = <R>(query: ReturnType<typeof sql<R>>, chunk: number) => db.getExecutor().stream(query.compile(db), chunk);

/** Answers at once when the pool's one connection is free. */
async function connectionFree(): Promise<void> {
  const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(db);
  assert.deepEqual(rows, [{ one: 1 }]);
  assert.equal(pool.idleCount, 1);
}

describe('RowStream', () => {
  test('hands over every row once, in order, in chunks no larger than asked', async () => {
    const seen: number[] = [];
    const sizes: number[] = [];
    for await (const { rows } of stream(sql<{ g: number }>`SELECT g FROM generate_series(1, 20000) g`, 700)) {
      sizes.push(rows.length);
      seen.push(...rows.map((r) => r.g));
    }
    assert.deepEqual(seen, Array.from({ length: 20000 }, (_, i) => i + 1));
    assert.ok(sizes.every((n) => n > 0 && n <= 700), `chunks of ${sizes}`);
    await connectionFree();
  });

  test('an empty result ends at once', async () => {
    const chunks: unknown[] = [];
    for await (const chunk of stream(sql`SELECT 1 WHERE false`, 10)) chunks.push(chunk);
    assert.deepEqual(chunks, []);
    await connectionFree();
  });

  test('a statement that fails part way ends the read with its error', async () => {
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const { rows } of stream(sql<{ q: number }>`SELECT 10000 / (g - 15000) AS q FROM generate_series(1, 20000) g`, 1000)) seen.push(...rows.map((r) => r.q));
      })(),
      /division by zero/,
    );
    assert.ok(seen.length < 15000, `${seen.length} rows before the failure`);
    await connectionFree();
  });

  test('a reader that stops early gives the connection back once the rest has arrived', async () => {
    for await (const { rows } of stream(sql<{ g: number }>`SELECT g FROM generate_series(1, 50000) g`, 100)) {
      assert.equal(rows[0]!.g, 1);
      break;
    }
    await connectionFree();
  });

  test('a statement the database refuses at once is an error, and the connection is free', async () => {
    await assert.rejects(
      (async () => {
        for await (const _ of stream(sql`SELECT * FROM no_such_table`, 10)) assert.fail('no rows');
      })(),
      /no_such_table/,
    );
    await connectionFree();
  });
});

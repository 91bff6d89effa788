import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../server/db/migrate.ts';
import { newEvent } from '../server/log/new-event.ts';
import { insertEvents } from '../server/log/insert-events.ts';
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect(); await admin.query('DROP DATABASE IF EXISTS mc_exp'); await admin.query('CREATE DATABASE mc_exp'); await admin.end();
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/mc_exp', max: 2 }) }) });
await migrateToLatest(db);
for (const stmt of (process.env.PRE ?? '').split(';').filter(Boolean)) await sql.raw(stmt).execute(db);
const pad = 'x'.repeat(64);
const mk = (r: number) => Array.from({ length: 3000 }, (_, j) => newEvent({ type: 'x.bench.batch', actor: 'operator:tok_abc', idempotencyKey: `client:operator:tok_abc:batch:run:${r}:${j}`, data: { n: j, pad } }));
const variant = process.argv[2] ?? 'current';
const times: number[] = []; const exec: number[] = [];
for (let r = 0; r < 30; r++) {
  const events = mk(r);
  await db.transaction().execute(async (trx) => {
    const t = performance.now();
    await insertEvents(trx as any, events, { lockKey: 12345, notifyChannel: 'x' });
    times.push(performance.now() - t);
  });
}
const med = (a: number[]) => a.slice(5).sort((x, y) => x - y)[Math.floor((a.length - 5) / 2)];
console.log(variant, 'insert of 3000, median ms', med(times).toFixed(1), 'per event µs', (1000 * med(times) / 3000).toFixed(1));
await db.destroy();

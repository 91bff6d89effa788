import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { migrateToLatest } from '../server/db/migrate.ts';
import { newEvent } from '../server/log/new-event.ts';
import { insertEvents } from '../server/log/insert-events.ts';
import { findByIdempotencyKeys } from '../server/log/find-by-keys.ts';
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect(); await admin.query('DROP DATABASE IF EXISTS mc_exp'); await admin.query('CREATE DATABASE mc_exp'); await admin.end();
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/mc_exp', max: 1 }) }) });
await migrateToLatest(db);
const cpuOf = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const pad = 'x'.repeat(64);
const mk = (r: number) => Array.from({ length: 3000 }, (_, j) => newEvent({ type: 'x.bench.batch', actor: 'operator:tok_abc', idempotencyKey: `client:operator:tok_abc:batch:run:${r}:${j}`, data: { n: j, pad } }));
let insMs = 0, lookMs = 0, insWall = 0, lookWall = 0;
for (let r = 0; r < 40; r++) {
  const events = mk(r);
  await db.transaction().execute(async (trx) => {
    const pid = Number((await sql<any>`SELECT pg_backend_pid() AS p`.execute(trx)).rows[0].p);
    let c = cpuOf(pid); let t = performance.now();
    if (!process.env.NOLOOK) await findByIdempotencyKeys(trx as any, events.map((e) => e.idempotencyKey));
    if (r >= 10) { lookMs += cpuOf(pid) - c; lookWall += performance.now() - t; }
    c = cpuOf(pid); t = performance.now();
    await insertEvents(trx as any, events, { lockKey: 1, notifyChannel: 'x' });
    if (r >= 10) { insMs += cpuOf(pid) - c; insWall += performance.now() - t; }
  });
}
const per = (ms: number) => (1000 * ms / 30 / 3000).toFixed(1);
console.log(`lookup: PG ${per(lookMs)} µs/event, wall ${per(lookWall)}; insert: PG ${per(insMs)} µs/event, wall ${per(insWall)}`);
await db.destroy();

import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../server/db/migrate.ts';
import { newEvent } from '../server/log/new-event.ts';
import { insertEvents } from '../server/log/insert-events.ts';
import type { NewEvent } from '../server/log/event.ts';
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
await admin.connect(); await admin.query('DROP DATABASE IF EXISTS mc_exp'); await admin.query('CREATE DATABASE mc_exp'); await admin.end();
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/mc_exp', max: 2 }) }) });
await migrateToLatest(db);
const pad = 'x'.repeat(64);
const mk = (r: number) => Array.from({ length: 3000 }, (_, j) => newEvent({ type: 'x.bench.batch', actor: 'operator:tok_abc', idempotencyKey: `client:operator:tok_abc:batch:run:${r}:${j}`, data: { n: j, pad } }));
const q = JSON.stringify;
function rowsJson(events: NewEvent[]): string {
  let s = '[';
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (i > 0) s += ',';
    s += `{"id":${q(e.id)},"type":${q(e.type)},"actor":${q(e.actor)},"idempotency_key":${q(e.idempotencyKey)},"payload_hash":"${e.payloadHash}"`;
    if (e.agentId !== null) s += `,"agent_id":${q(e.agentId)}`;
    if (e.taskId !== null) s += `,"task_id":${q(e.taskId)}`;
    if (e.decisionId !== null) s += `,"decision_id":${q(e.decisionId)}`;
    if (e.correlationId !== null) s += `,"correlation_id":${q(e.correlationId)}`;
    if (e.causationId !== null) s += `,"causation_id":${q(e.causationId)}`;
    if (e.traceId !== null) s += `,"trace_id":${q(e.traceId)},"span_id":${q(e.spanId)}`;
    s += `,"data":${e.dataJson}}`;
  }
  return s + ']';
}
async function insertJson(trx: any, events: NewEvent[], fn: string) {
  const { rows } = await sql<any>`
    WITH inserted AS (
      INSERT INTO events (id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id, trace_id, span_id, idempotency_key, payload_hash, data)
      SELECT id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id, trace_id, span_id, idempotency_key, payload_hash, data
      FROM ROWS FROM (${sql.raw(fn)}(${rowsJson(events)}::${sql.raw(fn.startsWith('jsonb') ? 'jsonb' : 'json')}) AS (id text, type text, actor text, agent_id text, task_id text, decision_id text, correlation_id text, causation_id text, trace_id text, span_id text, idempotency_key text, payload_hash text, data jsonb)) WITH ORDINALITY AS e(id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id, trace_id, span_id, idempotency_key, payload_hash, data, n)
      ORDER BY n
      RETURNING idempotency_key, seq, recorded_at
    ), notified AS (SELECT pg_notify('x', max(seq)::text) FROM inserted)
    SELECT idempotency_key, seq, recorded_at FROM inserted, notified`.execute(trx);
  return rows;
}
import { readFileSync } from 'node:fs';
const cpuOf = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const med = (a: number[]) => a.slice(5).sort((x, y) => x - y)[Math.floor((a.length - 5) / 2)];
for (const variant of ['unnest', 'json', 'jsonb', 'unnest', 'json', 'jsonb']) {
  const times: number[] = []; const js: number[] = []; let pgms = 0;
  for (let r = 0; r < 25; r++) {
    const events = mk(r + 1000 * times.length + Math.floor(Math.random() * 1e9));
    const tj = performance.now();
    if (variant === 'unnest') { for (const k of ['id','type','actor','agentId','taskId','decisionId','correlationId','causationId','traceId','spanId','idempotencyKey','payloadHash','dataJson'] as const) pg.types && (pg as any).defaults && require_prepare(events.map((e) => e[k])); }
    else rowsJson(events);
    js.push(performance.now() - tj);
    await db.transaction().execute(async (trx) => {
      const pid = Number((await sql<any>`SELECT pg_backend_pid() AS p`.execute(trx)).rows[0].p); const c0 = cpuOf(pid);
      const t = performance.now();
      if (variant === 'unnest') await insertUnnest(trx, events);
      else await insertJson(trx, events, variant === 'json' ? 'json_to_recordset' : 'jsonb_to_recordset');
      times.push(performance.now() - t);
      if (r >= 5) pgms += cpuOf(pid) - c0;
    });
  }
  console.log(variant.padEnd(7), 'insert of 3000: median ms', med(times).toFixed(1), 'µs/event', (1000 * med(times) / 3000).toFixed(1), 'PG cpu µs/event', (1000 * pgms / 20 / 3000).toFixed(1), ' client params µs/event', (1000 * med(js) / 3000).toFixed(2));
}
function require_prepare(v: unknown[]) { return (pg as any).utils?.prepareValue ? (pg as any).utils.prepareValue(v) : undefined; }
await db.destroy();

async function insertUnnest(trx: any, events: NewEvent[]) {
  const column = <K extends keyof NewEvent>(k: K) => events.map((e) => e[k]);
  await sql`
    WITH inserted AS (
      INSERT INTO events (id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id,
                          trace_id, span_id, idempotency_key, payload_hash, data)
      SELECT id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id,
             trace_id, span_id, idempotency_key, payload_hash, data::jsonb
      FROM unnest(${column('id')}::text[], ${column('type')}::text[], ${column('actor')}::text[],
                  ${column('agentId')}::text[], ${column('taskId')}::text[], ${column('decisionId')}::text[],
                  ${column('correlationId')}::text[], ${column('causationId')}::text[],
                  ${column('traceId')}::text[], ${column('spanId')}::text[],
                  ${column('idempotencyKey')}::text[], ${column('payloadHash')}::text[], ${column('dataJson')}::text[])
           WITH ORDINALITY AS e(id, type, actor, agent_id, task_id, decision_id, correlation_id, causation_id,
                                trace_id, span_id, idempotency_key, payload_hash, data, n)
      ORDER BY n
      RETURNING idempotency_key, seq, recorded_at
    ), notified AS (SELECT pg_notify('x', max(seq)::text) FROM inserted)
    SELECT idempotency_key, seq, recorded_at FROM inserted, notified`.execute(trx);
}

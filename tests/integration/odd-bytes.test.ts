import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { webhookHeaders } from '../../server/webhooks/signature.ts';
import { maxJsonDepth } from '../../server/log/storable.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { type TestHub, bearer, testHealerSecret, testHub } from '../helpers/hub.ts';
import { assertRefusedWithoutAppend, send } from '../helpers/problem.ts';

// Every value sent carries this, so the log can be searched for any fragment of a body.
const marker = 'odd-bytes-marker';
/** Everything the hub logged, as written. */
const written: string[] = [];
let database: TestDatabase;
let hub: TestHub;
let agentAuth: Record<string, string>;
let adminAuth: Record<string, string>;

before(async () => {
  database = await testDatabase();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      written.push(String(chunk));
      done();
    },
  });
  hub = await testHub(database.url, {}, [], undefined, pino({ level: 'info' }, sink));
  agentAuth = bearer(await hub.mint('agent', 'odd-agent'));
  adminAuth = bearer(hub.adminToken);
});
after(async () => {
  await hub?.close();
  await database?.drop();
});

interface Endpoint {
  path: string;
  /** The body, with `value` at `field` (a JSON pointer). */
  body(value: unknown): Record<string, unknown>;
  field: string;
  auth?: () => Record<string, string>;
  signed?: boolean;
}

const endpoints: Endpoint[] = [
  { path: '/events', body: (v) => ({ type: 'x.odd', data: { note: v } }), field: '/data/note' },
  { path: '/tasks', body: (v) => ({ title: v }), field: '/title' },
  { path: '/tasks/t-odd/transition', body: (v) => ({ to: 'in_progress', reason: v }), field: '/reason' },
  { path: '/decisions', body: (v) => ({ title: v, risk: 'medium' }), field: '/title' },
  { path: '/decisions/d-odd/resolve', body: (v) => ({ outcome: 'approve', comment: v }), field: '/comment' },
  { path: '/spawn', body: (v) => ({ template: 'sample', name: v }), field: '/name' },
  { path: '/inject', body: (v) => ({ agentId: 'odd-agent', message: v }), field: '/message' },
  { path: '/budgets', body: (v) => ({ scope: 'agent', scopeId: v, limitUsd: 1 }), field: '/scopeId' },
  { path: '/tokens', body: (v) => ({ role: 'viewer', name: v }), field: '/name', auth: () => adminAuth },
  { path: '/agents/odd-agent/heartbeat', body: (v) => ({ name: v }), field: '/name', auth: () => agentAuth },
  { path: '/agents/odd-agent/pause', body: (v) => ({ reason: v }), field: '/reason' },
  { path: '/agents/odd-agent/resume', body: (v) => ({ reason: v }), field: '/reason' },
  { path: '/pause-all', body: (v) => ({ reason: v }), field: '/reason' },
  { path: '/resume-all', body: (v) => ({ reason: v }), field: '/reason' },
  { path: '/healer/callbacks', body: (v) => ({ type: 'heal.completed', data: { failureEventId: v, playbook: 'p', action: 'a', attempts: 1 } }), field: '/data/failureEventId', signed: true },
];

const nested = (levels: number): unknown => (levels === 0 ? marker : [nested(levels - 1)]);
const oddValues: Array<[string, unknown, RegExp, string]> = [
  ['a NUL character', `${marker}\u0000`, /NUL character/, ''],
  ['a lone surrogate (\\ud800)', `${marker}\ud800`, /unpaired UTF-16 surrogate/, ''],
  [`nesting deeper than ${maxJsonDepth} levels`, nested(maxJsonDepth + 4), new RegExp(`nested deeper than ${maxJsonDepth} levels`), '/0'],
];

let deliveries = 0;
function post(endpoint: Endpoint, value: unknown) {
  const body = JSON.stringify(endpoint.body(value));
  const auth = endpoint.signed ? webhookHeaders(testHealerSecret, `msg_odd_${deliveries++}`, body, new Date()) : (endpoint.auth?.() ?? hub.auth);
  return send(`${hub.url}${endpoint.path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body });
}

describe('every write endpoint refuses bytes the log cannot store with a 400 that names the field', () => {
  for (const endpoint of endpoints) {
    for (const [what, value, reason, below] of oddValues) {
      test(`POST ${endpoint.path} with ${what} at ${endpoint.field} is a 400 and appends nothing`, async () => {
        const problem = await assertRefusedWithoutAppend(hub.db, () => post(endpoint, value), { status: 400, code: 'validation_failed', detail: reason });
        assert.ok(problem.detail.startsWith(`${endpoint.field}${below}`), `the detail names ${endpoint.field}: ${problem.detail}`);
        assert.ok(problem.errors[0].path.startsWith(`${endpoint.field}${below}`), `errors[0].path is ${problem.errors[0].path}`);
      });
    }
  }
});

test('the log holds no fragment of a refused body', async () => {
  for (const endpoint of endpoints) for (const [, value] of oddValues) await post(endpoint, value);
  const log = written.join('');
  assert.ok(log.includes('"msg":"request"'), 'the hub did log the requests');
  assert.ok(!log.includes(marker), `a body fragment reached the log: ${log.slice(Math.max(0, log.indexOf(marker) - 300), log.indexOf(marker) + 100)}`);
  assert.ok(!log.includes('"level":50'), 'nothing was logged as an error');
});

test('a number too large to be finite is a 400 naming the field, not a null in the log', async () => {
  const body = '{"type": "x.odd", "data": {"costs": [1, 1e400]}}';
  const problem = await assertRefusedWithoutAppend(
    hub.db,
    () => send(`${hub.url}/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...agentAuth }, body }),
    { status: 400, code: 'validation_failed', detail: /^\/data\/costs\/1 is a number too large to store/ },
  );
  assert.equal(problem.errors[0].path, '/data/costs/1');
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { hashSecret } from '../../server/auth/tokens.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { getJson } from '../helpers/hub.ts';
import { startHubProcess } from '../helpers/hub-process.ts';

let database: TestDatabase;
before(async () => {
  database = await testDatabase();
});
after(async () => {
  await database.drop();
});

const loginLine = (logs: Array<Record<string, unknown>>) => logs.map((l) => String(l.msg)).find((m) => m.includes('#token='));

test('the first start mints an admin token, prints it once with the dashboard URL, and stores only its hash', async () => {
  const first = await startHubProcess({ DATABASE_URL: database.url, MC_ADMIN_TOKEN: '' });
  const line = await first.waitForLog((l) => String(l.msg).includes('#token=')).then((l) => String(l.msg));
  const match = /(http:\/\/localhost:\d+)\/#token=(\S+)/.exec(line);
  assert.ok(match, `no dashboard URL in: ${line}`);
  const token = match[2]!;
  assert.equal((await getJson(`${first.url}/metrics`, { authorization: `Bearer ${token}` })).status, 200);
  assert.equal((await getJson(`${first.url}/metrics`, { authorization: `Bearer ${token}x` })).status, 401);
  assert.equal(await first.stop(), 0);

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows } = await client.query(`SELECT * FROM tokens`);
  await client.end();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].role, 'admin');
  assert.equal(rows[0].token_hash, hashSecret(token));
  assert.ok(!JSON.stringify(rows).includes(token), 'the secret itself is not stored');

  const second = await startHubProcess({ DATABASE_URL: database.url, MC_ADMIN_TOKEN: '' });
  assert.equal(loginLine(second.logs), undefined, 'a later start prints no token');
  assert.equal((await getJson(`${second.url}/metrics`, { authorization: `Bearer ${token}` })).status, 200, 'the token survives restarts');
  assert.equal(await second.stop(), 0);
});

test('with MC_ADMIN_TOKEN set, that token is the admin token and nothing is printed', async () => {
  const hub = await startHubProcess({ DATABASE_URL: database.url, MC_ADMIN_TOKEN: 'mc_configured_admin_secret_1234567890' });
  assert.equal(loginLine(hub.logs), undefined);
  const minted = await fetch(`${hub.url}/tokens`, {
    method: 'POST',
    headers: { authorization: 'Bearer mc_configured_admin_secret_1234567890', 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'viewer' }),
  });
  assert.equal(minted.status, 201);
  assert.equal(await hub.stop(), 0);
});

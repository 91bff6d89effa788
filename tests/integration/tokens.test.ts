import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ensureAdminToken } from '../../server/auth/tokens.ts';
import { agentEvents } from '../helpers/agents.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { type TestHub, bearer, testHub } from '../helpers/hub.ts';
import { assertHubProblem } from '../helpers/problem.ts';
import type { SseConnection } from '../helpers/sse.ts';
import { until } from '../helpers/until.ts';

// A short cache, so the time another hub may still trust a revoked token is quick to wait out.
const cacheMs = 1000;
const suite = hubSuite({
  auth: { cacheMs },
  templates: {
    exits: { command: process.execPath, args: ['-e', ''] },
    fails: { command: process.execPath, args: ['-e', 'process.exit(3)'] },
    hangs: { command: process.execPath, args: ['-e', 'setTimeout(() => {}, 60000)'], timeoutSec: 1 },
    missing: { command: 'mc-no-such-agent-command' },
  },
});

const admin = () => bearer(suite.hub.adminToken);

/** Mints a token as the admin and returns the whole 201 answer. */
async function mint(body: Record<string, unknown>, hub: TestHub = suite.hub): Promise<{ id: string; token: string; expiresAt: string | null }> {
  const res = await hub.post('/tokens', body, bearer(hub.adminToken));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

const revoke = (id: string, headers = admin(), hub: TestHub = suite.hub) =>
  fetch(`${hub.url}/tokens/${id}`, { method: 'DELETE', headers }).then(async (res) => ({ status: res.status, body: await res.json(), headers: res.headers }));

const whoami = (token: string, hub: TestHub = suite.hub) => hub.get('/whoami', bearer(token));

/** Resolves when the hub ends `stream`; fails the test if it is still open after `ms`. */
async function endsWithin(stream: SseConnection, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const open = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`the stream was still open after ${ms} ms`)), ms)));
  try {
    await Promise.race([stream.closed, open]);
  } finally {
    clearTimeout(timer);
    stream.close();
  }
}

describe('GET /tokens', () => {
  test('lists every token with its role, agent, name and times, never the secret or its hash', async () => {
    const { id, token } = await mint({ role: 'agent', agentId: 'agt_listed', name: 'listed', expiresInSec: 3600 });
    assert.equal((await whoami(token)).status, 200);
    const res = await suite.hub.get('/tokens', admin());
    assert.equal(res.status, 200);
    const listed = res.body.tokens.find((t: { id: string }) => t.id === id);
    assert.deepEqual(Object.keys(listed).sort(), ['agentId', 'createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'person', 'projectId', 'revokedAt', 'role']);
    assert.deepEqual([listed.role, listed.agentId, listed.name, listed.revokedAt], ['agent', 'agt_listed', 'listed', null]);
    assert.ok(Date.parse(listed.expiresAt) > Date.now() + 3500_000);
    assert.ok(listed.lastUsedAt !== null, 'the lookup just made is recorded');
    const { rows } = await sql<{ token_hash: string }>`select token_hash from tokens where id = ${id}`.execute(suite.hub.db);
    const text = JSON.stringify(res.body);
    assert.ok(!text.includes(token) && !text.includes(rows[0]!.token_hash), 'neither the secret nor its hash is listed');
  });
});

describe('DELETE /tokens/:id', () => {
  test('a revoked token is refused at once with 401 token_revoked, even one this hub has just trusted', async () => {
    const { id, token } = await mint({ role: 'operator' });
    assert.equal((await whoami(token)).status, 200);
    const res = await revoke(id);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, id);
    assert.ok(Date.parse(res.body.revokedAt) <= Date.now());
    assertHubProblem(await whoami(token), 401, 'token_revoked', /revoked at .*ask an admin/);
  });

  test('revoking a token again keeps the first revocation', async () => {
    const { id } = await mint({ role: 'viewer' });
    const first = await revoke(id);
    const second = await revoke(id);
    assert.equal(second.status, 200);
    assert.equal(second.body.revokedAt, first.body.revokedAt);
  });

  test('an open SSE stream of a revoked token is ended at once', async () => {
    const { id, token } = await mint({ role: 'viewer' });
    const stream = await suite.hub.sse('/events', bearer(token));
    assert.equal(stream.status, 200);
    assert.equal((await revoke(id)).status, 200);
    await endsWithin(stream, 500);
  });

  test('a decision wait of a revoked token ends at once with 401 token_revoked, not at its timeout', async () => {
    const { id, token } = await mint({ role: 'agent', agentId: 'agt_waiting_revoked' });
    const asked = await suite.hub.post('/decisions', { title: 'wait for me?', risk: 'high' }, bearer(token));
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const subscribers = suite.hub.fanout.subscriberCount;
    const started = Date.now();
    const waiting = suite.hub.get(`/decisions/${asked.body.id}/wait?timeout=60`, bearer(token));
    await until('the wait is held', () => (suite.hub.fanout.subscriberCount > subscribers ? true : undefined));
    assert.equal((await revoke(id)).status, 200);
    assertHubProblem(await waiting, 401, 'token_revoked', /revoked, or expired, while it waited/);
    assert.ok(Date.now() - started < 30_000, 'the wait ended long before its 60 s timeout');
  });

  test('an unknown token id is a 404 not_found', async () => {
    assertHubProblem(await revoke('tok_000000000000'), 404, 'not_found', /GET \/tokens/);
  });

  test('an operator may not revoke tokens: 403 forbidden', async () => {
    const { id } = await mint({ role: 'viewer' });
    assertHubProblem(await revoke(id, suite.hub.auth), 403, 'forbidden', /operator/);
  });
});

describe('the last admin token', () => {
  // A hub of its own, so no admin token another test minted is around.
  const alone = hubSuite();

  test('the last admin token that does not expire cannot be revoked: 409, and it still works', async () => {
    const { tokenId } = (await whoami(alone.hub.adminToken, alone.hub)).body;
    const expiring = await mint({ role: 'admin', expiresInSec: 3600 }, alone.hub);
    assertHubProblem(await revoke(tokenId, bearer(expiring.token), alone.hub), 409, 'conflict', /last admin token that does not expire.*mint another/);
    assert.equal((await whoami(alone.hub.adminToken, alone.hub)).status, 200);
  });
});

describe('expiry', () => {
  test('a token minted with expiresInSec is refused once it expires with 401 token_expired, even from the cache', async () => {
    const { token, expiresAt } = await mint({ role: 'viewer', expiresInSec: 1 });
    const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, at - Date.now()));
    // Trusted (and cached for a second) shortly before it expires, so the cache would still hold it after.
    await sleepUntil(Date.parse(expiresAt!) - 400);
    assert.equal((await whoami(token)).status, 200);
    await sleepUntil(Date.parse(expiresAt!) + 50);
    assertHubProblem(await whoami(token), 401, 'token_expired', new RegExp(`expired at ${expiresAt}`));
  });

  test('a token without expiresInSec never expires', async () => {
    assert.equal((await mint({ role: 'viewer' })).expiresAt, null);
  });

  for (const expiresInSec of [0, 1.5, 315360001]) {
    test(`expiresInSec ${expiresInSec} is a 400 validation_failed`, async () => {
      assertHubProblem(await suite.hub.post('/tokens', { role: 'viewer', expiresInSec }, admin()), 400, 'validation_failed', /expiresInSec/);
    });
  }
});

describe('admin rotation without a restart', () => {
  test('an admin mints a new admin token, revokes the one it used, and the old one stays revoked after a restart with it', async () => {
    const old = await mint({ role: 'admin', name: 'old admin' });
    const next = await mint({ role: 'admin', name: 'new admin' });
    assert.equal((await revoke(old.id, bearer(next.token))).status, 200);
    assertHubProblem(await whoami(old.token), 401, 'token_revoked', /revoked/);
    assert.equal((await suite.hub.post('/tokens', { role: 'viewer' }, bearer(next.token))).status, 201);
    // What a hub does on start with MC_ADMIN_TOKEN still holding the old secret.
    await ensureAdminToken(suite.hub.db, old.token);
    assertHubProblem(await whoami(old.token), 401, 'token_revoked', /revoked/);
  });
});

describe('spawned agents', () => {
  const endings: Array<[string, string]> = [
    ['exits', 'agent.exited'],
    ['fails', 'agent.failed'],
    ['hangs', 'agent.failed'],
    ['missing', 'agent.failed'],
  ];
  for (const [template, type] of endings) {
    test(`the token of an agent that ${template === 'hangs' ? 'times out' : template === 'missing' ? 'cannot start' : template} is revoked when it ends (${type})`, async () => {
      const spawned = await suite.hub.post('/spawn', { template }, suite.hub.auth);
      assert.equal(spawned.status, 202, JSON.stringify(spawned.body));
      const agentId = spawned.body.agentId as string;
      await until(`${type} of ${agentId}`, async () => ((await agentEvents(suite.hub, agentId, type)).length > 0 ? true : undefined));
      // Its runner took its token (the hub keeps only the hash): every token of the agent is revoked.
      const { rows } = await sql<{ revoked: boolean }>`select revoked_at is not null as revoked from tokens where agent_id = ${agentId}`.execute(suite.hub.db);
      assert.deepEqual(rows, [{ revoked: true }]);
    });
  }
});

describe('two hubs on one database', () => {
  let other: TestHub;
  before(async () => {
    await suite.ready();
    other = await testHub(suite.database.url, { auth: { cacheMs } });
  });
  after(() => other.close());

  test('a token revoked through one hub is refused by the other within its cache time, and its streams there end', async () => {
    const { id, token } = await mint({ role: 'viewer' });
    assert.equal((await whoami(token, other)).status, 200, 'the other hub trusts it and caches that');
    const stream = await other.sse('/events', bearer(token));
    assert.equal(stream.status, 200);
    const revokedAt = Date.now();
    assert.equal((await revoke(id)).status, 200);
    await until('the other hub to refuse the token', async () => ((await whoami(token, other)).status === 401 ? true : undefined), cacheMs * 2);
    await endsWithin(stream, cacheMs * 2 - (Date.now() - revokedAt));
    assertHubProblem(await whoami(token, other), 401, 'token_revoked', /revoked/);
  });

  test('an open stream of a token that expires is ended within the cache time', async () => {
    const { token, expiresAt } = await mint({ role: 'viewer', expiresInSec: 1 });
    const stream = await other.sse('/events', bearer(token));
    assert.equal(stream.status, 200);
    await endsWithin(stream, Date.parse(expiresAt!) + cacheMs * 2 - Date.now());
    assert.ok(Date.now() >= Date.parse(expiresAt!), 'not before it expired');
  });
});

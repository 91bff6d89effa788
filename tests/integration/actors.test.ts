import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Agent } from '../../server/client/agent.ts';
import { registeredAgent } from '../helpers/agents.ts';
import { ask, call, resolve } from '../helpers/decisions.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { bearer } from '../helpers/hub.ts';
import { assertProblem } from '../helpers/problem.ts';

const suite = hubSuite();

/** Mints a token of `role` with `name` (none when undefined); returns its secret and id. */
async function person(role: string, name?: string): Promise<{ token: string; id: string; actor: string }> {
  const res = await suite.hub.post('/tokens', { role, ...(name !== undefined ? { name } : {}) }, bearer(suite.hub.adminToken));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { token: res.body.token, id: res.body.id, actor: `${role}:${res.body.id}` };
}

describe('GET /whoami', () => {
  test("names the caller by the token's name", async () => {
    const ann = await person('operator', 'ann');
    const res = await suite.hub.get('/whoami', bearer(ann.token));
    assert.deepEqual(res.body, { role: 'operator', agentId: null, actor: ann.actor, tokenId: ann.id, name: 'ann', projectId: null });
  });

  test('a token minted without a name is named by its role and a short id', async () => {
    const unnamed = await person('viewer');
    const res = await suite.hub.get('/whoami', bearer(unnamed.token));
    assert.equal(res.body.name, `viewer ${unnamed.id.slice(4, 10)}`);
  });
});

describe('GET /actors', () => {
  test('the log keeps the actor id; /actors tells who resolved the decision, to any role, never a secret', async () => {
    const bob = await person('operator', 'bob');
    const decision = await ask(suite.hub, { title: 'Ship it?' });
    assert.equal((await resolve(suite.hub, decision.id, 'approve', bearer(bob.token))).status, 200);
    const { resolvedBy } = (await suite.hub.get(`/decisions/${decision.id}`)).body;
    assert.equal(resolvedBy, bob.actor);
    const agent = await registeredAgent(suite.hub, 'agt_reader');
    const res = await call(suite.hub, 'GET', `/actors?ids=${encodeURIComponent(`${resolvedBy},healer`)}`, undefined, agent);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      actors: [
        { actor: 'healer', name: 'healer', role: 'healer' },
        { actor: bob.actor, name: 'bob', role: 'operator' },
      ],
    });
    assert.ok(!res.text.includes(bob.token) && !res.text.includes('hash'));
  });

  test('without ?ids=, lists every token holder, revoked ones too, and no agent tokens', async () => {
    const carol = await person('admin', 'carol');
    const revoked = await person('viewer', 'dave');
    assert.equal((await fetch(`${suite.hub.url}/tokens/${revoked.id}`, { method: 'DELETE', headers: bearer(carol.token) })).status, 200);
    await registeredAgent(suite.hub, 'agt_listed');
    const { actors } = (await suite.hub.get('/actors')).body as { actors: Array<{ actor: string; name: string }> };
    const byActor = new Map(actors.map((a) => [a.actor, a.name]));
    assert.equal(byActor.get(carol.actor), 'carol');
    assert.equal(byActor.get(revoked.actor), 'dave');
    assert.equal(byActor.get('hub'), 'hub');
    assert.ok(actors.every((a) => !a.actor.startsWith('agent:')));
  });

  test('more than 100 ids is a 400 that says how many', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `operator:tok_${i}`).join(',');
    assertProblem(await call(suite.hub, 'GET', `/actors?ids=${ids}`), 400, 'validation_failed', /at most 100 actors/);
  });

  test('needs a token', async () => {
    assertProblem(await call(suite.hub, 'GET', '/actors', undefined, {}), 401, 'unauthorized', /needs a token/);
  });
});

describe('an agent that registers itself gives its name', () => {
  test("the SDK's name option names it in /agents, even when its first word to the hub is an event", async () => {
    const token = await suite.hub.mint('agent', 'agt_sdk_named');
    const agent = new Agent({ url: suite.hub.url, agentId: 'agt_sdk_named', token, name: 'nightly fixer' });
    try {
      await agent.progress('starting');
      assert.equal((await suite.hub.get('/agents/agt_sdk_named')).body.name, 'nightly fixer');
    } finally {
      agent.close();
    }
  });

  test('a named agent whose first word is a decision keeps its name too', async () => {
    const token = await suite.hub.mint('agent', 'agt_asks_first');
    const agent = new Agent({ url: suite.hub.url, agentId: 'agt_asks_first', token, name: 'cautious fixer' });
    try {
      await agent.requestDecision({ title: 'Go?', risk: 'low' });
      assert.equal((await suite.hub.get('/agents/agt_asks_first')).body.name, 'cautious fixer');
    } finally {
      agent.close();
    }
  });

  test('Agent.fromEnvironment reads MC_AGENT_NAME', async () => {
    const token = await suite.hub.mint('agent', 'agt_env_named');
    const agent = Agent.fromEnvironment({ MC_HUB_URL: suite.hub.url, MC_AGENT_ID: 'agt_env_named', MC_AGENT_TOKEN: token, MC_AGENT_NAME: 'env fixer' });
    try {
      agent.startHeartbeat();
      await agent.emit('x.hello', {});
      assert.equal((await suite.hub.get('/agents/agt_env_named')).body.name, 'env fixer');
    } finally {
      agent.close();
    }
  });
});

// POST /spawn and POST /inject at the edge: only a configured template ever runs, whatever the
// request says; who may call them; what inject refuses; pause-all holds new spawns back.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { EventEnvelope } from '../../server/client/views.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { assertHubProblem, countEvents } from '../helpers/problem.ts';
import { agentWritableDir, fixtureTemplate } from '../helpers/fixture-agents.ts';
import { until } from '../helpers/until.ts';
import { bearer } from '../helpers/hub.ts';
import { newEvent } from '../../server/log/new-event.ts';

const fixture = fixtureTemplate;

let scratch: string;

const suite = hubSuite({ templates: { reporter: fixture('env-reporter'), crasher: fixture('crasher') } });
before(() => {
  // Writable by agents too, so a smuggled command would leave its marker whoever it runs as.
  scratch = agentWritableDir('mc-spawn-test-');
});
after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const problem = assertHubProblem;


async function countOfType(type: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from events where type = ${type}`.execute(suite.hub.db);
  return rows[0]!.n;
}

/** Waits for the end of an agent (`agent.exited` or `agent.failed`) in GET /events. */
async function theEnd(agentId: string): Promise<EventEnvelope> {
  return until(`the end of ${agentId}`, async () => {
    const res = await suite.hub.get(`/events?agent=${agentId}&types=agent.exited,agent.failed&limit=10`);
    return (res.body.events as EventEnvelope[])[0];
  });
}

/**
 * Sends a spawn request that must be refused: asserts the problem, and that nothing was appended
 * (no `agent.spawn_requested` either). `MARKER` in the body becomes the path of `marker`.
 */
async function refusedSpawn(body: unknown, status: number, code: string, detail: RegExp, headers = suite.hub.auth, marker = path.join(scratch, 'unused')): Promise<any> {
  const smuggled = JSON.parse(JSON.stringify(body).replaceAll('MARKER', marker.replaceAll('\\', '\\\\')));
  const [events, requested] = [await countEvents(suite.hub.db), await countOfType('agent.spawn_requested')];
  const answer = problem(await suite.hub.post('/spawn', smuggled, headers), status, code, detail);
  assert.equal(await countEvents(suite.hub.db), events, 'nothing was appended');
  assert.equal(await countOfType('agent.spawn_requested'), requested, 'no agent.spawn_requested');
  return answer;
}

/** Spawns the reporter and waits for its end: any command started before it has had the time it took to run. */
async function fence(): Promise<void> {
  const spawned = await suite.hub.post('/spawn', { template: 'reporter' });
  assert.equal(spawned.status, 202, JSON.stringify(spawned.body));
  assert.deepEqual((await theEnd(spawned.body.agentId)).data, { code: 0 });
}

const writesMarker = ['-e', "require('node:fs').writeFileSync('MARKER', 'ran')"];

describe('POST /spawn runs only configured templates', () => {
  test('an unknown template is a 400 that lists the configured ones', async () => {
    const answer = await refusedSpawn({ template: 'touch' }, 400, 'validation_failed', /no template "touch"; configured: /);
    for (const name of ['reporter', 'crasher']) assert.ok(answer.detail.includes(name), `${answer.detail} names ${name}`);
    assert.ok(!answer.detail.includes('sample'), `${answer.detail} does not name the built-in sample: the configured templates replace it`);
  });

  test('a name every object inherits (constructor, toString, ...) is not a template: 400', async () => {
    for (const template of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      await refusedSpawn({ template }, 400, 'validation_failed', new RegExp(`no template "${template}"`));
    }
  });

  test('a body that names a command, its arguments, environment or directory is refused by the schema, and nothing runs', async () => {
    const bodies: Array<[unknown, RegExp]> = [
      [{ template: 'reporter', command: process.execPath, args: writesMarker }, /unknown property "(command|args)"/],
      [{ template: 'reporter', args: writesMarker }, /unknown property "args"/],
      [{ template: 'reporter', env: { NODE_OPTIONS: '--eval "require(\'node:fs\').writeFileSync(\'MARKER\', \'ran\')"' } }, /unknown property "env"/],
      [{ template: 'reporter', cwd: '/' }, /unknown property "cwd"/],
      [{ template: 'touch', command: 'touch', args: ['MARKER'] }, /unknown property "(command|args)"/],
      [{ command: process.execPath, args: writesMarker }, /template|unknown property/],
    ];
    const marker = path.join(scratch, 'smuggled-command-ran');
    for (const [body, detail] of bodies) await refusedSpawn(body, 400, 'validation_failed', detail, suite.hub.auth, marker);
    // A smuggled command would have started before the fence agent, which is slower to finish.
    await fence();
    assert.equal(existsSync(marker), false, 'no smuggled command ran');
  });

  test('a template name with a path or spaces in it is a 400', async () => {
    for (const template of ['../reporter', '../../bin/sh', 'reporter/../crasher', './reporter', 'rep orter', ' reporter', 'reporter ', 'reporter\n', '']) {
      await refusedSpawn({ template }, 400, 'validation_failed', /\/template has characters or a length that are not allowed/);
    }
  });

  // The healer may spawn (its respawn playbooks do), so it is not among these.
  test('agent and viewer tokens get 403 on /spawn, and nothing is appended', async () => {
    for (const [role, agentId] of [['agent', 'agt_wants_more'], ['viewer']] as const) {
      const headers = bearer(await suite.hub.mint(role, agentId));
      await refusedSpawn({ template: 'reporter' }, 403, 'forbidden', new RegExp(`an? ${role} token may not call POST /spawn`), headers);
    }
  });

  test('agent, viewer and healer tokens get 403 on /inject, and nothing is appended', async () => {
    for (const [role, agentId] of [['agent', 'agt_wants_more'], ['viewer'], ['healer']] as const) {
      const headers = bearer(await suite.hub.mint(role, agentId));
      const before = await countEvents(suite.hub.db);
      problem(await suite.hub.post('/inject', { agentId: 'agt_anyone', message: 'hi' }, headers), 403, 'forbidden', new RegExp(`an? ${role} token may not call POST /inject`));
      assert.equal(await countEvents(suite.hub.db), before);
    }
  });

  test('no token is a 401', async () => {
    await refusedSpawn({ template: 'reporter' }, 401, 'unauthorized', /./, {});
  });
});

describe('POST /inject', () => {
  test('into an unknown agent is a 404', async () => {
    const before = await countEvents(suite.hub.db);
    problem(await suite.hub.post('/inject', { agentId: 'agt_nobody', message: 'hello?' }), 404, 'not_found', /no agent agt_nobody/);
    assert.equal(await countEvents(suite.hub.db), before);
  });

  test('into an agent that has exited is a 409', async () => {
    const spawned = await suite.hub.post('/spawn', { template: 'reporter' });
    assert.equal(spawned.status, 202, JSON.stringify(spawned.body));
    const { agentId } = spawned.body;
    assert.equal((await theEnd(agentId)).type, 'agent.exited');
    problem(await suite.hub.post('/inject', { agentId, message: 'too late' }), 409, 'conflict', new RegExp(`agent ${agentId} is exited`));
  });

  test('into an agent that has failed is a 409', async () => {
    const { agentId } = (await suite.hub.post('/spawn', { template: 'crasher' })).body;
    assert.equal((await theEnd(agentId)).type, 'agent.failed');
    problem(await suite.hub.post('/inject', { agentId, message: 'too late' }), 409, 'conflict', new RegExp(`agent ${agentId} is failed`));
  });

  test('a bad body is a 400 and appends nothing', async () => {
    const before = await countEvents(suite.hub.db);
    const bodies: unknown[] = [
      { agentId: 'agt_x' },
      { message: 'to whom?' },
      { agentId: 'agt_x', message: '' },
      { agentId: 'agt_x', message: 42 },
      { agentId: 'agt_x', message: 'hi', from: 'operator:someone-else' },
      { agentId: 'agt_x', message: 'x'.repeat(16_001) },
      [],
    ];
    for (const body of bodies) problem(await suite.hub.post('/inject', body), 400, 'validation_failed', /./);
    problem(await suite.hub.post('/inject', '{"agentId": '), 400, 'invalid_json', /./);
    assert.equal(await countEvents(suite.hub.db), before);
  });
});

describe('POST /spawn while the hub is paused (pause-all)', () => {
  test('is a 409 that starts nothing; after resume-all it works', async () => {
    assert.equal((await suite.hub.post('/pause-all', { reason: 'maintenance' })).status, 200);
    try {
      const agentsBefore = (await suite.hub.get('/agents')).body.agents.length;
      await refusedSpawn({ template: 'reporter' }, 409, 'conflict', /paused \(pause-all\)/);
      assert.equal((await suite.hub.get('/agents')).body.agents.length, agentsBefore, 'no agent was added');
    } finally {
      assert.equal((await suite.hub.post('/resume-all', {})).status, 200);
    }
    const spawned = await suite.hub.post('/spawn', { template: 'reporter' });
    assert.equal(spawned.status, 202, JSON.stringify(spawned.body));
    assert.deepEqual((await theEnd(spawned.body.agentId)).data, { code: 0 });
  });
});

describe('POST /spawn with budgetUsd', () => {
  test('the agent\'s budget is the one the request names, not the default', async () => {
    const res = await suite.hub.post('/spawn', { template: 'reporter', budgetUsd: 2.5 });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const agent = await suite.hub.get(`/agents/${res.body.agentId}`);
    assert.deepEqual([agent.status, agent.body.budgetUsd], [200, 2.5]);
    const budgets = await suite.hub.get('/budgets');
    assert.deepEqual(budgets.body.budgets.filter((b: { scopeId?: string }) => b.scopeId === res.body.agentId).map((b: { limitUsd: number }) => b.limitUsd), [2.5]);
  });
});

describe('templates, not requests, decide what a runner runs', () => {
  // Its runner's configuration allows the reporter alone.
  const narrow = hubSuite({ templates: { reporter: fixture('env-reporter'), crasher: fixture('crasher') }, runner: { templates: ['reporter'] } });

  test('a runner advertises only the templates its configuration allows, so another waits, saying why', async () => {
    const [runner] = await narrow.hub.client.runners.list();
    assert.deepEqual(runner?.templates, ['reporter']);
    const spawned = await narrow.hub.post('/spawn', { template: 'crasher' });
    assert.equal(spawned.status, 202);
    const view = await narrow.hub.get(`/agents/${spawned.body.agentId}`);
    assert.deepEqual([view.body.status, view.body.runnerId, view.body.waitingFor], ['spawning', null, `no runner's configuration allows the template "crasher"`]);
  });

  test('an assignment for a template its configuration does not allow is refused and logged as the agent failing, never run', async () => {
    const spawned = await narrow.hub.post('/spawn', { template: 'crasher' });
    const agentId = spawned.body.agentId as string;
    // As a hub whose runner's configuration changed under it would have placed it.
    await narrow.hub.appender.append([newEvent({ type: 'agent.assigned', data: { runnerId: narrow.hub.runner!.runner.runnerId! }, actor: 'hub', agentId })]);
    const failed = await until(`the refusal of ${agentId}`, async () => {
      const page = await narrow.hub.get(`/events?agent=${agentId}&types=agent.failed,agent.spawned`);
      return (page.body.events as EventEnvelope[])[0];
    });
    assert.equal(failed.type, 'agent.failed');
    assert.match(String(failed.data.error), /refuses the template "crasher": its own configuration does not allow it/);
  });
});

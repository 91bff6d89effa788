import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { EventEnvelope } from '../../contracts/index.ts';
import { agentWritableDir, fixtureTemplate as fixture } from '../helpers/fixture-agents.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { testHealerSecret } from '../helpers/hub.ts';
import { type ServiceProcess, startHealerProcess } from '../helpers/hub-process.ts';

// The healer as it runs for real: its own process, talking to a real hub over HTTP, fixing
// the agents the hub runs as real child processes.

const dir = mkdtempSync(path.join(tmpdir(), 'mc-healer-'));
// The flaky agents leave their markers here: they run as a user of their own.
const markers = agentWritableDir('mc-healer-markers-');
let healerToken: string;
const configFile = path.join(dir, 'config.yaml');

const suite = hubSuite({ templates: { flaky: fixture('flaky'), crasher: fixture('crasher') } });
before(async () => {
  await suite.ready();
  healerToken = await suite.hub.mint('healer');
  writeFileSync(
    configFile,
    ['healer:', '  playbooks:', '    - name: transient-network', '      match: { type: agent.failed, errorPattern: "ECONNRESET" }', '      action: respawn', '      maxAttempts: 2', '      backoffMs: 100', ''].join('\n'),
  );
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(markers, { recursive: true, force: true });
});

function healer(stateName: string): Promise<ServiceProcess> {
  return startHealerProcess({ MC_HUB_URL: suite.hub.url, MC_HEALER_TOKEN: healerToken, MC_HEALER_SECRET: testHealerSecret, MC_CONFIG: configFile, MC_HEALER_STATE: path.join(dir, stateName) });
}

async function events(types: string): Promise<EventEnvelope[]> {
  return (await suite.hub.get(`/events?types=${types}&limit=1000`)).body.events;
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${ms} ms (last: ${JSON.stringify(value).slice(0, 400)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function spawn(template: string, input?: unknown): Promise<string> {
  const res = await suite.hub.post('/spawn', { template, ...(input ? { input } : {}) });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return res.body.agentId;
}

describe('the healer, as separate processes', () => {
  test('a known failure is fixed: the agent runs again, and heal.completed names the failure', async () => {
    const service = await healer('known.json');
    try {
      const agentId = await spawn('flaky', { marker: path.join(markers, 'known-marker') });
      const [failure] = await until('the failure', () => events(`agent.failed&agent=${agentId}`), (e) => e.length === 1);
      const [heal] = await until('heal.completed', () => events('heal.completed'), (e) => e.some((h) => h.data.failureEventId === failure!.id));
      assert.deepEqual(heal!.data, { failureEventId: failure!.id, playbook: 'transient-network', action: 'respawn', attempts: 1 });
      const respawns = (await events('agent.spawn_requested')).filter((e) => e.actor === 'healer');
      assert.equal(respawns.length, 1);
      const again = respawns[0]!.agentId!;
      const exited = await until('the respawned agent exits 0', () => events(`agent.exited&agent=${again}`), (e) => e.length === 1);
      assert.equal(exited[0]!.data.code, 0);
    } finally {
      assert.equal(await service.stop(), 0);
    }
  });

  test('an unknown failure is escalated, and the hub opens a pending decision about it', async () => {
    const service = await healer('unknown.json');
    try {
      const agentId = await spawn('crasher');
      const [failure] = await until('the failure', () => events(`agent.failed&agent=${agentId}`), (e) => e.length === 1);
      const escalations = await until('heal.escalated', () => events('heal.escalated'), (e) => e.some((h) => h.data.failureEventId === failure!.id));
      const escalation = escalations.find((h) => h.data.failureEventId === failure!.id)!;
      const decision = await suite.hub.get(`/decisions/${escalation.data.decisionId}`);
      assert.equal(decision.body.status, 'pending');
      assert.equal(decision.body.agentId, agentId);
      assert.match(decision.body.context, /database password rejected/);
    } finally {
      assert.equal(await service.stop(), 0);
    }
  });

  test('killed mid-way and restarted, the healer handles every failure exactly once', async () => {
    const before = (await events('agent.spawn_requested')).filter((e) => e.actor === 'healer').length;
    let service = await healer('killed.json');
    const agents = await Promise.all([1, 2, 3, 4].map((n) => spawn('flaky', { marker: path.join(markers, `killed-marker-${n}`) })));
    // Kill it (no chance to save anything) as soon as it has fixed the first one, then start it again on the same state.
    const fixedOne = () => events('heal.completed').then((e) => e.filter((h) => agents.some((a) => h.agentId === a)).length);
    await until('a first heal', fixedOne, (n) => n >= 1);
    await service.kill();
    service = await healer('killed.json');
    try {
      const failures = await until('four failures', () => events('agent.failed').then((e) => e.filter((f) => agents.includes(f.agentId!))), (e) => e.length === 4);
      const heals = await until('four heals', () => events('heal.completed').then((e) => e.filter((h) => failures.some((f) => f.id === h.data.failureEventId))), (e) => e.length >= 4);
      // A fence: a failure logged after the four; once it is healed, the healer has read past them all.
      const fence = await spawn('flaky', { marker: path.join(markers, 'killed-marker-fence') });
      const [fenceFailure] = await until('the fence failure', () => events(`agent.failed&agent=${fence}`), (e) => e.length === 1);
      await until('the fence heal', () => events('heal.completed'), (e) => e.some((h) => h.data.failureEventId === fenceFailure!.id));
      const healsAfter = (await events('heal.completed')).filter((h) => failures.some((f) => f.id === h.data.failureEventId));
      assert.equal(healsAfter.length, 4, 'one heal.completed per failure');
      assert.deepEqual(new Set(heals.map((h) => h.data.failureEventId)).size, 4);
      const respawns = (await events('agent.spawn_requested')).filter((e) => e.actor === 'healer').length - before;
      assert.equal(respawns, 4 + 1, 'one respawn per failure, the fence\'s included');
    } finally {
      assert.equal(await service.stop(), 0);
    }
  });
});

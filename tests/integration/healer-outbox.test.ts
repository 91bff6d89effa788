import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { EventEnvelope } from '../../contracts/index.ts';
import { newEvent } from '../../server/log/new-event.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { bearer, testHealerSecret } from '../helpers/hub.ts';
import { type ServiceProcess, startHealerProcess } from '../helpers/hub-process.ts';
import { until } from '../helpers/until.ts';

// The healer's outbox against a real hub that cannot take callbacks: the healer's own process
// reaches the hub through a forwarding proxy that, while the hub is "down", cuts every callback
// connection. The heal must survive the wait and a healer restart, and land exactly once.

const dir = mkdtempSync(path.join(tmpdir(), 'mc-healer-outbox-'));
const configFile = path.join(dir, 'config.yaml');
const stateFile = path.join(dir, 'state.json');
const suite = hubSuite();
let hubDown = false;
let refusedCallbacks = 0;
let proxy: http.Server;
let proxyUrl: string;

before(async () => {
  await suite.ready();
  const target = new URL(suite.hub.url);
  proxy = http.createServer((req, res) => {
    if (hubDown && req.url?.startsWith('/healer/callbacks')) {
      refusedCallbacks += 1;
      req.socket.destroy();
      return;
    }
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  writeFileSync(configFile, ['healer:', '  playbooks:', '    - { name: lift-the-pause, match: { type: agent.paused }, action: resume, maxAttempts: 1, backoffMs: 0 }', ''].join('\n'));
});
after(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function healer(): Promise<ServiceProcess> {
  return startHealerProcess({ MC_HUB_URL: proxyUrl, MC_HEALER_TOKEN: await suite.hub.mint('healer'), MC_HEALER_SECRET: testHealerSecret, MC_CONFIG: configFile, MC_HEALER_STATE: stateFile });
}

/** Registers `agentId` by a heartbeat and logs that a decision paused it; answers the pause's id. */
async function pausedByDecision(agentId: string): Promise<string> {
  assert.equal((await suite.hub.post(`/agents/${agentId}/heartbeat`, {}, bearer(await suite.hub.mint('agent', agentId)))).status, 200);
  const [paused] = await suite.hub.appender.append([newEvent({ type: 'agent.paused', data: { reason: 'decision', by: 'hub' }, actor: 'hub', agentId })]);
  return paused!.id;
}

async function healsAbout(failureEventId: string): Promise<EventEnvelope[]> {
  return ((await suite.hub.get('/events?types=heal.completed&limit=1000')).body.events as EventEnvelope[]).filter((e) => e.data.failureEventId === failureEventId);
}

describe('the healer\'s outbox while the hub cannot take callbacks', () => {
  test('a heal waits in the state file through a restart, then lands exactly once', async () => {
    hubDown = true;
    let service = await healer();
    try {
      const pause = await pausedByDecision('agt_outbox_a');
      // The fix itself reaches the hub; only its callback is cut, and retried.
      await until('the resume', async () => ((await suite.hub.get('/agents/agt_outbox_a')).body.status === 'running' ? true : undefined));
      await until('two refused callbacks', () => (refusedCallbacks >= 2 ? true : undefined));
      assert.deepEqual(await healsAbout(pause), [], 'no heal.completed while the hub cannot take it');
      assert.equal(await service.stop(), 0);
      const queued = JSON.parse(readFileSync(stateFile, 'utf8')).outbox as Array<{ type: string; data: { failureEventId: string } }>;
      assert.deepEqual(queued.map((e) => [e.type, e.data.failureEventId]), [['heal.completed', pause]], 'the undelivered heal is kept in the state file');

      const refusedBefore = refusedCallbacks;
      service = await healer();
      await until('a retry after the restart', () => (refusedCallbacks > refusedBefore ? true : undefined));
      hubDown = false;
      const [heal] = await until('the heal', async () => ((await healsAbout(pause)).length > 0 ? healsAbout(pause) : undefined), 30_000);
      assert.deepEqual([heal!.actor, heal!.data.playbook, heal!.data.action], ['healer', 'lift-the-pause', 'resume']);

      // A fence: a later failure healed means every retry of the first has had its chance.
      const fence = await pausedByDecision('agt_outbox_fence');
      await until('the fence heal', async () => ((await healsAbout(fence)).length > 0 ? true : undefined), 30_000);
      assert.equal((await healsAbout(pause)).length, 1, 'one heal.completed for the one failure');
      const resumed = (await suite.hub.get('/events?types=agent.resumed&agent=agt_outbox_a')).body.events as EventEnvelope[];
      assert.equal(resumed.length, 1, 'the restart did not run the playbook again');
    } finally {
      assert.equal(await service.stop(), 0);
    }
    assert.deepEqual(JSON.parse(readFileSync(stateFile, 'utf8')).outbox, [], 'nothing left to deliver');
  });
});

// Runners as their own services, with real processes all the way: a hub process, runner processes
// (server/runner/main.ts) with labels of their own, and agents started through their shims. A hub
// killed with -9 under a running fleet, or a runner killed with -9, kills no agent, and every
// output line reaches the log exactly once; spawns are routed by label, queue while no runner has
// room, and a runner lost mid-run leaves its agent lost, not failed, until it comes back.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { HubClient } from '../../server/client/hub-client.ts';
import type { AgentView, EventEnvelope } from '../../server/client/views.ts';
import { alive } from '../helpers/agent-processes.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { bearer, getJson, postJson } from '../helpers/hub.ts';
import { type ServiceProcess, startHubProcess, startRunnerProcess } from '../helpers/hub-process.ts';
import { startProcess } from '../helpers/child-process.ts';
import { until } from '../helpers/until.ts';

const adminToken = 'mc_admin_runners_test_0123456789abcdef';
// Prints "line 1" .. "line N", one every TALK_EVERY_MS, a stderr line every tenth, then exits 0.
const talk = `let i = 0; const n = Number(process.env.TALK_LINES); const t = setInterval(() => { i++; console.log('line ' + i); if (i % 10 === 0) console.error('tenth ' + i); if (i >= n) clearInterval(t); }, Number(process.env.TALK_EVERY_MS));`;
const sleep = 'setInterval(() => {}, 1000)';
const templates = {
  talker: { command: process.execPath, args: ['-e', talk], env: { TALK_LINES: '60', TALK_EVERY_MS: '50' } },
  'on-a': { command: process.execPath, args: ['-e', sleep], runsOn: { pool: 'a' } },
  'on-b': { command: process.execPath, args: ['-e', sleep], runsOn: { pool: 'b' } },
  'needs-gpu': { command: process.execPath, args: ['-e', sleep], runsOn: { gpu: 'true' } },
};

let dir: string;
let database: TestDatabase;
let port: number;
let hub: ServiceProcess;
let admin: HubClient;
const runners: Record<'a' | 'b', { process?: ServiceProcess; tokenFile: string; config: string; state: string }> = {} as never;
const pids = new Set<number>();

function hubEnv(): Record<string, string> {
  return { DATABASE_URL: database.url, MC_ADMIN_TOKEN: adminToken, MC_CONFIG: path.join(dir, 'hub.json'), PORT: String(port), MC_DATA_DIR: path.join(dir, 'data') };
}

async function startRunner(name: 'a' | 'b'): Promise<ServiceProcess> {
  const { tokenFile, config, state } = runners[name];
  const started = await startRunnerProcess({ MC_HUB_URL: `http://127.0.0.1:${port}`, MC_RUNNER_TOKEN_FILE: tokenFile, MC_CONFIG: config, MC_RUNNER_STATE: state });
  runners[name].process = started;
  return started;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return free;
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mc-runners-'));
  database = await testDatabase();
  port = await freePort();
  const common = { templates, spawn: { stopGraceMs: 2000 }, runners: { offlineAfterMs: 2000, maxPollWaitMs: 1000 }, timers: { tickMs: 200 } };
  writeFileSync(path.join(dir, 'hub.json'), JSON.stringify(common));
  hub = await startHubProcess(hubEnv());
  admin = new HubClient({ url: hub.url, token: adminToken });
  for (const [name, runner] of [
    ['a', { name: 'runner-a', labels: { pool: 'a' }, capacity: 4, pollWaitMs: 500 }],
    ['b', { name: 'runner-b', labels: { pool: 'b' }, capacity: 1, pollWaitMs: 500, templates: ['on-b', 'needs-gpu'] }],
  ] as const) {
    const tokenFile = path.join(dir, `runner-${name}.token`);
    writeFileSync(tokenFile, (await admin.tokens.create({ role: 'runner', name: `runner ${name}` })).token, { mode: 0o600 });
    const config = path.join(dir, `runner-${name}.json`);
    writeFileSync(config, JSON.stringify({ ...common, runner }));
    runners[name] = { tokenFile, config, state: path.join(dir, `state-${name}`) };
    await startRunner(name);
  }
});

after(async () => {
  for (const runner of Object.values(runners)) await runner.process?.kill();
  // Agents outlive their runners: take down every one this test started, whatever it got to.
  try {
    for await (const event of admin.events.list({ types: ['agent.spawned'] })) pids.add(event.data.pid as number);
  } catch {
    // The hub is down: the pids seen so far are all there is.
  }
  for (const pid of pids) if (alive(pid)) process.kill(-pid, 'SIGKILL');
  await hub?.stop();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function spawn(template: string): Promise<string> {
  const res = await postJson(`${hub.url}/spawn`, { template }, bearer(adminToken));
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return res.body.agentId as string;
}

async function agentView(agentId: string): Promise<AgentView & { waitingFor?: string }> {
  return (await getJson(`${hub.url}/agents/${agentId}`, bearer(adminToken))).body;
}

async function eventsOf(agentId: string): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for await (const event of admin.events.list({ agent: agentId, limit: 1000 })) events.push(event);
  return events;
}

/** The agent's pid once a runner has started it. */
async function started(agentId: string): Promise<number> {
  const spawned = await until(`${agentId} started`, async () => (await eventsOf(agentId)).find((e) => e.type === 'agent.spawned'), 20_000);
  const pid = spawned.data.pid as number;
  pids.add(pid);
  return pid;
}

async function ended(agentId: string): Promise<EventEnvelope> {
  return until(`the end of ${agentId}`, async () => (await eventsOf(agentId)).find((e) => e.type === 'agent.exited' || e.type === 'agent.failed'), 30_000);
}

/** Every line of the talker's output in the log, in log order. */
async function linesOf(agentId: string, stream: 'stdout' | 'stderr'): Promise<string[]> {
  return (await eventsOf(agentId)).filter((e) => e.type === 'agent.output' && e.data.stream === stream).map((e) => String(e.data.line));
}

async function assertEveryLineOnce(agentId: string): Promise<void> {
  // Its end is reported after its last line.
  const end = await ended(agentId);
  assert.deepEqual(await linesOf(agentId, 'stdout'), Array.from({ length: 60 }, (_, i) => `line ${i + 1}`), `${agentId}: every stdout line once, in order`);
  assert.deepEqual(await linesOf(agentId, 'stderr'), Array.from({ length: 6 }, (_, i) => `tenth ${(i + 1) * 10}`), `${agentId}: every stderr line once, in order`);
  assert.deepEqual([end.type, end.data], ['agent.exited', { code: 0 }], `${agentId} ended with its own exit code`);
}

describe('agents outlive the hub and their runner', () => {
  test('kill -9 the hub under a running fleet: every agent keeps running, and once the hub is back every line is in the log exactly once', async () => {
    const fleet = [await spawn('talker'), await spawn('talker'), await spawn('talker')];
    const running = await Promise.all(fleet.map(started));
    await hub.kill();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(running.filter((pid) => !alive(pid)), [], 'no agent died with the hub');
    hub = await startHubProcess(hubEnv());
    for (const agentId of fleet) await assertEveryLineOnce(agentId);
  });

  test('kill -9 the runner: its agents keep running, the restarted runner adopts them, and every line is in the log exactly once, with their exit codes', async () => {
    const fleet = [await spawn('talker'), await spawn('talker')];
    const running = await Promise.all(fleet.map(started));
    await runners.a.process!.kill();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(running.filter((pid) => !alive(pid)), [], 'no agent died with its runner');
    await startRunner('a');
    for (const agentId of fleet) await assertEveryLineOnce(agentId);
  });
});

describe('two runners with different labels', () => {
  test('spawns are routed by label; a spawn for labels no runner has is accepted and waits, saying why', async () => {
    const onA = await spawn('on-a');
    const onB = await spawn('on-b');
    await Promise.all([started(onA), started(onB)]);
    const list = (await admin.runners.list()).map((r) => [r.name, r.status, r.labels.pool, r.load]);
    assert.deepEqual(list, [
      ['runner-a', 'online', 'a', 1],
      ['runner-b', 'online', 'b', 1],
    ]);
    const byName = Object.fromEntries((await admin.runners.list()).map((r) => [r.name, r.id]));
    assert.equal((await agentView(onA)).runnerId, byName['runner-a']);
    assert.equal((await agentView(onB)).runnerId, byName['runner-b']);

    const gpu = await spawn('needs-gpu');
    const waiting = await agentView(gpu);
    assert.deepEqual([waiting.status, waiting.runnerId], ['spawning', null]);
    assert.equal(waiting.waitingFor, 'no runner that allows "needs-gpu" has the labels gpu=true');
    assert.equal((await postJson(`${hub.url}/agents/${gpu}/stop`, {}, bearer(adminToken))).status, 202, 'a queued spawn is cancelled by a stop');
    assert.deepEqual((await ended(gpu)).data, { code: null, signal: null, stoppedBy: (await admin.whoami()).actor });
    await postJson(`${hub.url}/agents/${onA}/stop`, {}, bearer(adminToken));
    await ended(onA);
  });

  test('a full runner queues the request until it has room', async () => {
    const [first] = (await admin.agents.list()).filter((a) => a.template === 'on-b' && a.status === 'running').map((a) => a.id);
    assert.ok(first, 'runner b runs one agent already (capacity 1)');
    const second = await spawn('on-b');
    const queued = await agentView(second);
    assert.equal(queued.status, 'spawning');
    assert.equal(queued.waitingFor, 'every runner that can run it is full (runner-b 1/1)');
    await postJson(`${hub.url}/agents/${first}/stop`, { reason: 'make room' }, bearer(adminToken));
    const end = await ended(first);
    assert.equal(end.type, 'agent.exited', JSON.stringify(end.data));
    await started(second);
    assert.equal((await agentView(second)).status, 'running');
  });

  test('a runner lost mid-run: it goes offline and its agent is lost, not failed; when it returns the agent runs on', async () => {
    const [agentId] = (await admin.agents.list()).filter((a) => a.template === 'on-b' && a.status === 'running').map((a) => a.id);
    assert.ok(agentId);
    const pid = await started(agentId);
    await runners.b.process!.kill();
    const lost = await until('the agent lost', async () => {
      const view = await agentView(agentId);
      return view.status === 'lost' ? view : undefined;
    }, 20_000);
    assert.equal(lost.status, 'lost');
    assert.equal((await admin.runners.list()).find((r) => r.name === 'runner-b')?.status, 'offline');
    assert.ok(alive(pid), 'the agent itself still runs');
    await startRunner('b');
    await until('the agent running again', async () => ((await agentView(agentId)).status === 'running' ? true : undefined), 20_000);
    assert.equal((await admin.runners.list()).find((r) => r.name === 'runner-b')?.status, 'online');
    const types = (await eventsOf(agentId)).map((e) => e.type);
    assert.ok(types.includes('agent.lost') && types.includes('agent.recovered') && !types.includes('agent.failed'), types.join(', '));
    await postJson(`${hub.url}/agents/${agentId}/stop`, {}, bearer(adminToken));
    assert.equal((await ended(agentId)).type, 'agent.exited');
  });

  test("a runner token reports only about its own runner's agents, and reads nothing else", async () => {
    const onA = await spawn('on-a');
    await started(onA);
    const tokenB = bearer(readFileSync(runners.b.tokenFile, 'utf8'));
    const foreign = await postJson(`${hub.url}/events`, { type: 'agent.output', agentId: onA, data: { stream: 'stdout', line: 'not mine' } }, tokenB);
    assert.equal(foreign.status, 403, JSON.stringify(foreign.body));
    assert.match(foreign.body.detail, /reports only about agents assigned to its runner/);
    assert.equal((await getJson(`${hub.url}/events`, tokenB)).status, 403);
    assert.equal((await getJson(`${hub.url}/agents`, tokenB)).status, 403);
    const idA = (await agentView(onA)).runnerId!;
    assert.equal((await getJson(`${hub.url}/runners/${idA}/work`, tokenB)).status, 403, "another runner's work");
    await postJson(`${hub.url}/agents/${onA}/stop`, {}, bearer(adminToken));
    await ended(onA);
  });
});

test('a runner whose token the hub refuses says so, with the fix, and keeps trying', async () => {
  const badToken = path.join(dir, 'revoked.token');
  const minted = await admin.tokens.create({ role: 'runner', name: 'soon revoked' });
  await admin.tokens.revoke(minted.id);
  writeFileSync(badToken, minted.token, { mode: 0o600 });
  const run = startProcess(process.execPath, ['--import', 'tsx', 'server/runner/main.ts'], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    env: { ...process.env, MC_HUB_URL: hub.url, MC_RUNNER_TOKEN_FILE: badToken, MC_CONFIG: runners.a.config, MC_RUNNER_STATE: path.join(dir, 'state-revoked') },
  });
  try {
    const line = await until('the refusal on the terminal', async () => run.stdout.split('\n').find((l) => l.includes('refuses the runner')), 20_000);
    assert.match(JSON.parse(line).msg, /the hub refuses the runner's token \(.*revoked.*\): mint a runner token \(mc tokens create --role runner\)/);
    assert.equal(run.child.exitCode, null, 'it keeps running, for a token put right');
    assert.ok(!run.stdout.includes(minted.token), 'the token itself is never logged');
  } finally {
    run.child.kill('SIGTERM');
    await run.exited;
  }
});


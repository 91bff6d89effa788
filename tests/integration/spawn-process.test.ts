// What a spawned agent process gets and how its runner watches it: its environment (and not the
// secrets of the process that started it), a token for itself only, a rate cap on its output,
// and its timeout. That agents outlive the hub and the runner: tests/integration/runners.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { EventEnvelope } from '../../server/client/views.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { type TestHub, testHub } from '../helpers/hub.ts';
import { alive, closeAndFindLeftovers } from '../helpers/agent-processes.ts';
import { agentWritableDir, fixtureTemplate } from '../helpers/fixture-agents.ts';
import { until } from '../helpers/until.ts';
import { systemAccount } from '../../server/system-account.ts';
import { secrets } from '../fixtures/agents/leaker.ts';

const fixture = fixtureTemplate;
// Written into by a shell, were the hub to start agents through one.
const shellScratch = agentWritableDir('mc-no-shell-');
const shellWords = [`$(touch ${path.join(shellScratch, 'substituted')})`, `echo hi > ${path.join(shellScratch, 'redirected')}; touch ${path.join(shellScratch, 'chained')}`, '*', "'quoted' \"twice\" `ticks`"];
const templates = {
  reporter: fixture('env-reporter'),
  'reporter-with-env': fixture('env-reporter', { env: { FIXTURE_GREETING: 'set by the template', FIXTURE_SPACES: 'a b  c' } }),
  'reporter-with-shell-words': fixture('env-reporter', { args: [...(fixture('env-reporter').args ?? []), ...shellWords] }),
  chatty: fixture('chatty'),
  leaker: fixture('leaker'),
  'slow-timeout': fixture('sleeper', { timeoutSec: 1 }),
  sleeper: fixture('sleeper'),
  // A checkout the agents' user cannot enter, as one under /root (0700) is for a hub run as root.
  'locked-out': fixture('env-reporter', { cwd: mkdtempSync(path.join(tmpdir(), 'mc-locked-out-')) }),
};
const outputLimits = { linesPerSecond: 20, burst: 50, maxLineChars: 100, stderrTail: 5 };

let database: TestDatabase;
let hub: TestHub;

before(async () => {
  database = await testDatabase();
  // Secrets of the hub's own process: they would reach the agents if the hub passed its environment on.
  process.env.DATABASE_URL ??= database.url;
  process.env.MC_ADMIN_TOKEN = 'mc_admin_must_not_leak';
  process.env.MC_LEAK_CANARY = 'must-not-leak';
  hub = await testHub(database.url, { templates, spawn: outputLimits });
});
after(async () => {
  const leftovers = hub ? await closeAndFindLeftovers(hub) : [];
  await database?.drop();
  rmSync(templates['locked-out'].cwd!, { recursive: true, force: true });
  rmSync(shellScratch, { recursive: true, force: true });
  assert.deepEqual(leftovers, [], 'no agent process outlives the tests');
});



/** GET /events as JSON pages: every event about one agent (or of some types), oldest first. */
async function logOf(on: TestHub, query: { agent?: string; types?: string }): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for (let after = 0; ; ) {
    const res = await on.get(`/events?${new URLSearchParams({ ...query, after: String(after), limit: '1000' })}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    events.push(...(res.body.events as EventEnvelope[]));
    if (res.body.events.length === 0) return events;
    after = res.body.next;
  }
}

function eventAbout(agentId: string, matches: (e: EventEnvelope) => boolean, what: string): Promise<EventEnvelope> {
  return until(`${what} from ${agentId}`, async () => (await logOf(hub, { agent: agentId })).find(matches));
}

const theEnd = (agentId: string) => eventAbout(agentId, (e) => e.type === 'agent.exited' || e.type === 'agent.failed', 'its end');

async function spawn(on: TestHub, template: string, extra: { taskId?: string } = {}): Promise<{ agentId: string }> {
  const res = await on.post('/spawn', { template, ...extra });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return res.body;
}

describe('the environment of a spawned agent', () => {
  test('holds how to reach the hub as itself, and none of the hub\'s secrets', async () => {
    const { agentId } = await spawn(hub, 'reporter');
    const report = await eventAbout(agentId, (e) => e.type === 'x.fixture.env', 'x.fixture.env');
    assert.equal(report.actor, `agent:${agentId}`, 'it appended with its own token');
    const names = report.data.names as string[];
    for (const name of ['MC_HUB_URL', 'MC_AGENT_ID', 'MC_AGENT_TOKEN']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    for (const name of ['DATABASE_URL', 'MC_ADMIN_TOKEN', 'MC_LEAK_CANARY']) assert.ok(!names.includes(name), `${name} leaked into the agent`);
    assert.deepEqual((await theEnd(agentId)).data, { code: 0 });
  });

  test("holds its template's env and, when spawned for a task, MC_TASK_ID, with their values", async () => {
    const { agentId } = await spawn(hub, 'reporter-with-env', { taskId: 'tsk_env_reported' });
    const report = await eventAbout(agentId, (e) => e.type === 'x.fixture.env', 'x.fixture.env');
    assert.deepEqual(report.data.values, { FIXTURE_GREETING: 'set by the template', FIXTURE_SPACES: 'a b  c', MC_TASK_ID: 'tsk_env_reported' });
    assert.deepEqual((await theEnd(agentId)).data, { code: 0 });
  });

  test('gets its arguments verbatim, no shell between: substitutions, redirections, `;` and globs stay text and create no file', async () => {
    const { agentId } = await spawn(hub, 'reporter-with-shell-words');
    const report = await eventAbout(agentId, (e) => e.type === 'x.fixture.env', 'x.fixture.env');
    assert.deepEqual(report.data.args, shellWords);
    assert.deepEqual((await theEnd(agentId)).data, { code: 0 });
    assert.deepEqual(readdirSync(shellScratch), [], 'no shell ran the words');
  });

  test('its token speaks for that agent only: it heartbeats itself, and gets a 403 for another id and for a spawn', async () => {
    const { agentId } = await spawn(hub, 'reporter');
    const report = await eventAbout(agentId, (e) => e.type === 'x.fixture.env', 'x.fixture.env');
    assert.deepEqual(report.data.token, { ownHeartbeat: 200, otherHeartbeat: 403, spawn: 403 });
    await theEnd(agentId);
  });
});

describe('the output of a spawned agent (tests/fixtures/agents/chatty.ts)', () => {
  test('is logged under the rate cap, with one event counting the lines dropped, and long lines cut', async () => {
    const started = Date.now();
    const { agentId } = await spawn(hub, 'chatty');
    const end = await theEnd(agentId);
    const elapsedSec = (Date.now() - started) / 1000;
    assert.deepEqual([end.type, end.data], ['agent.exited', { code: 0 }]);

    const outputs = (await logOf(hub, { agent: agentId })).filter((e) => e.type === 'agent.output');
    const [long, ...rest] = outputs;
    assert.deepEqual(long!.data, { stream: 'stdout', line: 'x'.repeat(100), truncated: true });
    const numbered = rest.filter((e) => String(e.data.line).startsWith('line '));
    const drops = rest.filter((e) => /^\[mission-control\] \d+ output lines dropped/.test(String(e.data.line)));
    assert.equal(rest.length, numbered.length + drops.length, 'nothing else was logged');
    // A busy machine may slow the agent enough for the bucket to refill mid-way: then a few later
    // lines get through, and each flush that dropped some says how many.
    assert.ok(drops.length >= 1, 'an event counts the dropped lines');
    const dropped = drops.reduce((sum, e) => sum + Number(/\] (\d+) output lines/.exec(String(e.data.line))![1]), 0);

    const cap = outputLimits.burst + outputLimits.linesPerSecond * elapsedSec;
    assert.ok(numbered.length + 1 <= cap, `${numbered.length + 1} lines logged in ${elapsedSec.toFixed(2)} s, over the cap of ${cap.toFixed(0)}`);
    assert.ok(numbered.length >= outputLimits.burst - 1, `the burst is logged: ${numbered.length}`);
    assert.equal(numbered.length + dropped, 500, 'every line is either logged or counted as dropped');
    const numbers = numbered.map((e) => Number(String(e.data.line).slice('line '.length)));
    assert.deepEqual(numbers.slice(0, outputLimits.burst - 1), numbers.slice(0, outputLimits.burst - 1).map((_, n) => n), 'the burst is the first lines, in order');
    assert.ok(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!), 'the lines logged keep their order');
  });
});

describe('the output of an agent that prints secrets and NUL bytes (tests/fixtures/agents/leaker.ts)', () => {
  let agentId: string;
  let log: EventEnvelope[];
  before(async () => {
    ({ agentId } = await spawn(hub, 'leaker'));
    await theEnd(agentId);
    log = await logOf(hub, { agent: agentId });
  });

  test('has every line logged, the line with a NUL kept with U+FFFD in its place and marked', () => {
    const lines = log.filter((e) => e.type === 'agent.output' && e.data.stream === 'stdout');
    assert.equal(lines.length, 10, `every stdout line is logged: ${lines.map((e) => e.data.line).join(' | ')}`);
    assert.deepEqual(lines.find((e) => String(e.data.line).startsWith('before'))!.data, { stream: 'stdout', line: 'before\ufffdafter', replacedCharacters: true });
    assert.deepEqual(lines.at(-1)!.data, { stream: 'stdout', line: 'a plain line' });
  });

  test('has its failure logged despite a NUL on stderr, so it does not show as running', async () => {
    const end = log.find((e) => e.type === 'agent.failed');
    assert.ok(end, `agent.failed is logged: ${log.map((e) => e.type).join(', ')}`);
    assert.deepEqual(end.data.stderrTail, ['fatal: bad byte \ufffd with mc_[redacted]']);
    assert.equal((await hub.get(`/agents/${agentId}`)).body.status, 'failed');
  });

  test('holds none of the secrets it printed, each line that had one marked redacted', () => {
    const text = JSON.stringify(log);
    for (const [name, secret] of Object.entries(secrets)) assert.ok(!text.includes(secret), `the ${name} reached the log`);
    const lines = log.filter((e) => e.type === 'agent.output').map((e) => e.data);
    assert.deepEqual(lines.find((d) => String(d.line).startsWith('DATABASE_URL')), { stream: 'stdout', line: 'DATABASE_URL=postgres://mc:[redacted]@db.internal:5432/mc', redacted: true });
    assert.deepEqual(lines.find((d) => String(d.line).startsWith('Authorization')), { stream: 'stdout', line: 'Authorization: Bearer [redacted]', redacted: true });
    assert.equal(lines.filter((d) => d.redacted === true).length, 9, 'the secret lines and the private key block (3 lines) on stdout, and the stderr line');
  });
});

describe('a template whose cwd the agents\' user cannot enter', { skip: process.getuid?.() === 0 ? false : 'agents run as a user of their own only when the hub runs as root' }, () => {
  test('fails to spawn with agent.failed naming the template, the directory and the fixes', async () => {
    const { agentId } = await spawn(hub, 'locked-out');
    const failed = await theEnd(agentId);
    assert.equal(failed.type, 'agent.failed');
    const cwd = templates['locked-out'].cwd!;
    assert.equal(
      failed.data.error,
      `could not start: template "locked-out" cannot start as the user mc-agent (uid ${systemAccount('mc-agent').uid}): it may not enter ${cwd} (mode 0700, owner uid 0): ` +
        `move the checkout where mc-agent can reach it, give it o+x (chmod o+x ${cwd}), or set runner.runAs to a user that can`,
    );
  });
});

describe('a template with timeoutSec (tests/fixtures/agents/sleeper.ts, 30 s)', () => {
  test('is stopped and logged as failed "timed out after 1 s" within a few seconds', async () => {
    const started = Date.now();
    const { agentId } = await spawn(hub, 'slow-timeout');
    const spawned = await eventAbout(agentId, (e) => e.type === 'agent.spawned', 'agent.spawned');
    const failed = await theEnd(agentId);
    const tookMs = Date.now() - started;
    assert.equal(failed.type, 'agent.failed');
    assert.deepEqual([failed.data.error, failed.data.code, failed.data.signal], ['timed out after 1 s', null, 'SIGTERM']);
    assert.ok(tookMs < 5000, `it ended after ${tookMs} ms`);
    assert.equal((await hub.get(`/agents/${agentId}`)).body.status, 'failed');
    assert.equal(alive(spawned!.data.pid as number), false, 'the process is gone');
  });
});

// End to end: a real hub starts real agent processes (tests/fixtures/agents/) from its templates;
// they talk back through the SDK while an operator answers, injects and watches the log.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EventEnvelope } from '../../server/client/views.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { type TestHub, testHub } from '../helpers/hub.ts';
import { closeAndFindLeftovers } from '../helpers/agent-processes.ts';
import { fixtureTemplate } from '../helpers/fixture-agents.ts';
import { until } from '../helpers/until.ts';


const fixture = fixtureTemplate;

let database: TestDatabase;
let hub: TestHub;

before(async () => {
  database = await testDatabase();
  hub = await testHub(database.url, {
    templates: { decider: fixture('decider'), crasher: fixture('crasher'), 'stdin-reader': fixture('stdin-reader', { stdin: 'messages', timeoutSec: 60 }) },
  });
});
after(async () => {
  const leftovers = hub ? await closeAndFindLeftovers(hub) : [];
  await database?.drop();
  assert.deepEqual(leftovers, [], 'no agent process outlives the tests');
});



/** GET /events as JSON pages: the events about one agent (or of some types), oldest first. */
async function logOf(query: { agent?: string; types?: string }): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for (let after = 0; ; ) {
    const params = new URLSearchParams({ ...query, after: String(after), limit: '1000' });
    const res = await hub.get(`/events?${params}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    events.push(...(res.body.events as EventEnvelope[]));
    if (res.body.events.length === 0) return events;
    after = res.body.next;
  }
}

/** Waits for the first event of `type` about the agent (that `matches`, when given). */
function eventAbout(agentId: string, type: string, matches: (e: EventEnvelope) => boolean = () => true): Promise<EventEnvelope> {
  return until(`${type} from ${agentId}`, async () => (await logOf({ agent: agentId })).find((e) => e.type === type && matches(e)));
}

/** Waits for the agent's end: its `agent.exited` or `agent.failed`. */
const theEnd = (agentId: string) =>
  until(`the end of ${agentId}`, async () => (await logOf({ agent: agentId })).find((e) => e.type === 'agent.exited' || e.type === 'agent.failed'));

async function spawn(template: string): Promise<string> {
  const res = await hub.post('/spawn', { template });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  assert.match(res.body.agentId, /^agt_[0-9a-z]{12}$/);
  assert.equal(res.body.token, undefined, 'the agent token goes to its runner, not to the caller');
  return res.body.agentId;
}

/** Waits until the agent shows `awaiting_decision` and returns its pending decision's id. */
async function pendingDecisionOf(agentId: string): Promise<string> {
  const view = await until(`${agentId} awaiting a decision`, async () => {
    const res = await hub.get(`/agents/${agentId}`);
    return res.body.status === 'awaiting_decision' ? res.body : undefined;
  });
  assert.equal(typeof view.pendingDecisionId, 'string');
  return view.pendingDecisionId;
}

async function resolve(decisionId: string, outcome: 'approve' | 'deny'): Promise<void> {
  const res = await hub.post(`/decisions/${decisionId}/resolve`, { outcome });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function statusOf(agentId: string): Promise<string> {
  return (await hub.get(`/agents/${agentId}`)).body.status;
}

describe('an agent that asks for a decision (tests/fixtures/agents/decider.ts)', () => {
  test('is spawned, reports progress, awaits the decision, and goes on once it is approved', async () => {
    const agentId = await spawn('decider');
    const requested = await eventAbout(agentId, 'agent.spawn_requested');
    assert.equal(requested.data.template, 'decider');
    assert.match(requested.actor, /^operator:/);
    const spawned = await eventAbout(agentId, 'agent.spawned');
    assert.equal(spawned.data.runner, hub.runner!.runner.runnerId);
    assert.equal(spawned.actor, `runner:${hub.runner!.runner.runnerId}`);
    assert.equal(typeof spawned.data.pid, 'number');
    const progress = await eventAbout(agentId, 'x.progress');
    assert.deepEqual([progress.actor, progress.data.text], [`agent:${agentId}`, 'planning the migration']);

    const decisionId = await pendingDecisionOf(agentId);
    const decision = (await hub.get(`/decisions/${decisionId}`)).body;
    assert.deepEqual([decision.title, decision.risk, decision.status, decision.agentId], ['Apply the migration?', 'high', 'pending', agentId]);
    await resolve(decisionId, 'approve');

    const applied = await eventAbout(agentId, 'x.fixture.applied');
    const [resolved] = (await logOf({ types: 'decision.resolved' })).filter((e) => e.decisionId === decisionId);
    const lag = Date.parse(applied.recordedAt) - Date.parse(resolved!.recordedAt);
    // The agent goes on because of the approval (after it, not at a deadline); how fast is for npm run bench.
    assert.ok(lag >= 0 && lag < 10_000, `the agent went on ${lag} ms after the resolution`);
    assert.equal(applied.data.decisionId, decisionId);

    const exited = await theEnd(agentId);
    assert.deepEqual([exited.type, exited.data], ['agent.exited', { code: 0 }]);
    assert.ok(exited.seq > applied.seq);
    assert.equal(await statusOf(agentId), 'exited');
  });

  test('handles a denial: logs x.fixture.skipped and exits 0', async () => {
    const agentId = await spawn('decider');
    await resolve(await pendingDecisionOf(agentId), 'deny');
    const skipped = await eventAbout(agentId, 'x.fixture.skipped');
    assert.deepEqual([skipped.data.text, skipped.data.outcome], ['handled the denial', 'deny']);
    const exited = await theEnd(agentId);
    assert.deepEqual([exited.type, exited.data], ['agent.exited', { code: 0 }]);
    const types = (await logOf({ agent: agentId })).map((e) => e.type);
    assert.ok(!types.includes('x.fixture.applied'), `a denied agent applied nothing: ${types.join(', ')}`);
    assert.equal(await statusOf(agentId), 'exited');
  });

  test('echoes a message injected while it waits, then exits when approved', async () => {
    const agentId = await spawn('decider');
    const decisionId = await pendingDecisionOf(agentId);
    const injected = await hub.post('/inject', { agentId, message: 'are you still there?' });
    assert.equal(injected.status, 202, JSON.stringify(injected.body));
    assert.equal(injected.body.agentId, agentId);

    const logged = await eventAbout(agentId, 'agent.message_injected');
    assert.equal(logged.id, injected.body.id);
    assert.equal(logged.data.message, 'are you still there?');
    assert.match(String(logged.data.from), /^operator:/);
    const echo = await eventAbout(agentId, 'x.fixture.echo');
    assert.deepEqual([echo.actor, echo.data.message, echo.data.from], [`agent:${agentId}`, 'are you still there?', logged.data.from]);
    assert.equal(await statusOf(agentId), 'awaiting_decision', 'a message does not answer the decision');

    await resolve(decisionId, 'approve');
    await eventAbout(agentId, 'x.fixture.applied');
    const exited = await theEnd(agentId);
    assert.deepEqual([exited.type, exited.data], ['agent.exited', { code: 0 }]);
  });
});

describe('an agent that crashes (tests/fixtures/agents/crasher.ts)', () => {
  test('is logged as agent.failed with its exit code and the tail of its stderr', async () => {
    const agentId = await spawn('crasher');
    const failed = await eventAbout(agentId, 'agent.failed');
    assert.equal(failed.actor, `runner:${hub.runner!.runner.runnerId}`, 'its runner says how it ended');
    assert.deepEqual([failed.data.code, failed.data.signal, failed.data.error], [3, null, 'exited with code 3']);
    const tail = failed.data.stderrTail as string[];
    assert.ok(tail.includes('Error: database password rejected'), `stderrTail: ${JSON.stringify(tail)}`);
    assert.ok(tail.indexOf('loading config') < tail.indexOf('Error: database password rejected'), 'oldest first');
    const stderr = (await logOf({ agent: agentId })).filter((e) => e.type === 'agent.output' && e.data.stream === 'stderr').map((e) => e.data.line);
    assert.ok(stderr.includes('Error: database password rejected'), 'its stderr lines are logged as agent.output too');
    assert.equal(await statusOf(agentId), 'failed');
  });
});

describe("a template with stdin: 'messages' (tests/fixtures/agents/stdin-reader.ts)", () => {
  test('hands each injected message to the process on stdin, one JSON line each', async () => {
    const agentId = await spawn('stdin-reader');
    await eventAbout(agentId, 'x.progress');
    const injected = await hub.post('/inject', { agentId, message: 'hello over stdin' });
    assert.equal(injected.status, 202, JSON.stringify(injected.body));
    const received = await eventAbout(agentId, 'x.fixture.stdin');
    assert.deepEqual([received.data.id, received.data.message], [injected.body.id, 'hello over stdin']);
    assert.match(String(received.data.from), /^operator:/);

    assert.equal((await hub.post('/inject', { agentId, message: 'stop' })).status, 202);
    const exited = await theEnd(agentId);
    assert.deepEqual([exited.type, exited.data], ['agent.exited', { code: 0 }]);
    const lines = (await logOf({ agent: agentId })).filter((e) => e.type === 'x.fixture.stdin').map((e) => e.data.message);
    assert.deepEqual(lines, ['hello over stdin', 'stop'], 'each message arrives once, in order');
  });
});

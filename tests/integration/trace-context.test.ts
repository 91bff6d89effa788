import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { childSpan, parseTraceparent, traceparentOf } from '../../contracts/index.ts';
import type { EventEnvelope } from '../../contracts/index.ts';
import { Agent } from '../../server/client/agent.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { bearer } from '../helpers/hub.ts';
import { until } from '../helpers/until.ts';

// A W3C traceparent on a request is kept on the events it appends, reactions keep their cause's,
// and the trace reaches the agents the hub spawns and the SDK's own requests.

const suite = hubSuite({ templates: { tracer: { command: process.execPath, args: ['-e', 'console.log(process.env.TRACEPARENT)'] } } });
const trace = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
const traceparent = traceparentOf(trace);

async function eventsOf(query: string): Promise<EventEnvelope[]> {
  const res = await suite.hub.get(`/events?${query}&limit=1000`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.events as EventEnvelope[];
}

describe('a request with a traceparent header', () => {
  test('the events it appends carry its trace id and span id, as pages and single reads show them', async () => {
    const res = await suite.hub.post('/events', { type: 'x.traced', data: { n: 1 } }, { ...suite.hub.auth, traceparent });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const [event] = await eventsOf('types=x.traced');
    assert.deepEqual([event!.traceId, event!.spanId], [trace.traceId, trace.spanId]);
    const one = await suite.hub.get(`/events/${res.body.id}`);
    assert.deepEqual([one.body.traceId, one.body.spanId], [trace.traceId, trace.spanId]);
  });

  test('a traceparent that is not valid is ignored, as the spec says: the event is appended without a trace', async () => {
    for (const [i, bad] of ['not-a-trace', `00-${'0'.repeat(32)}-${trace.spanId}-01`, traceparent.toUpperCase(), `ff-${trace.traceId}-${trace.spanId}-01`].entries()) {
      const res = await suite.hub.post('/events', { type: 'x.untraced', data: { i } }, { ...suite.hub.auth, traceparent: bad });
      assert.equal(res.status, 201, `${bad}: ${JSON.stringify(res.body)}`);
    }
    const events = await eventsOf('types=x.untraced');
    assert.equal(events.length, 4);
    assert.ok(events.every((e) => e.traceId === undefined && e.spanId === undefined), JSON.stringify(events));
  });

  test("the hub's reactions keep their cause's trace: a spend past its budget pauses the agent in the same trace", async () => {
    const agent = bearer(await suite.hub.mint('agent', 'agt_traced'));
    assert.equal((await suite.hub.post('/agents/agt_traced/heartbeat', {}, agent)).status, 200);
    assert.equal((await suite.hub.post('/budgets', { scope: 'agent', scopeId: 'agt_traced', limitUsd: 1 })).status, 200);
    const spent = await suite.hub.post('/events', { type: 'run.completed', data: { tokensIn: 1, tokensOut: 1, costUsd: 2 } }, { ...agent, traceparent });
    assert.equal(spent.status, 201, JSON.stringify(spent.body));
    const reactions = (await eventsOf('agent=agt_traced&types=budget.exceeded,agent.paused')).map((e) => [e.type, e.actor, e.traceId, e.spanId]);
    assert.deepEqual(reactions, [
      ['budget.exceeded', 'hub', trace.traceId, trace.spanId],
      ['agent.paused', 'hub', trace.traceId, trace.spanId],
    ]);
  });

  test('a spawned agent gets TRACEPARENT: a span of its own in the spawning request\'s trace', async () => {
    const res = await suite.hub.post('/spawn', { template: 'tracer', budgetUsd: 3 }, { ...suite.hub.auth, traceparent });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const spawnEvents = await eventsOf(`agent=${res.body.agentId}&types=agent.spawn_requested,budget.limit_changed`);
    assert.deepEqual(spawnEvents.map((e) => [e.type, e.traceId, e.correlationId === spawnEvents[0]!.correlationId]), [
      ['agent.spawn_requested', trace.traceId, true],
      ['budget.limit_changed', trace.traceId, true],
    ], 'both events of the spawn request carry its trace and its correlation');
    const output = await until('the agent\'s output', async () => (await eventsOf(`agent=${res.body.agentId}&types=agent.output`))[0]);
    const seen = parseTraceparent(String((output.data as { line: string }).line));
    assert.ok(seen, `the agent saw a valid TRACEPARENT: ${JSON.stringify(output.data)}`);
    assert.equal(seen.traceId, trace.traceId, 'the same trace');
    assert.notEqual(seen.spanId, trace.spanId, 'a span of its own');
  });
});

describe("the SDK's agent", () => {
  test('reads TRACEPARENT from its environment and sends it with every request, so its events join the trace', async () => {
    const own = childSpan(trace);
    const agent = Agent.fromEnvironment({ MC_HUB_URL: suite.hub.url, MC_AGENT_ID: 'agt_sdk_traced', MC_AGENT_TOKEN: await suite.hub.mint('agent', 'agt_sdk_traced'), TRACEPARENT: traceparentOf(own) });
    await agent.emit('x.sdk_traced', { n: 1 });
    const [event] = await eventsOf('types=x.sdk_traced');
    assert.deepEqual([event!.traceId, event!.spanId], [own.traceId, own.spanId]);
  });
});

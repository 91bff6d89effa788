import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LiveConnection } from '../../dashboard/src/state/live-connection.ts';
import type { EventEnvelope } from '../../dashboard/src/state/types.ts';
import { FakeSource, ManualTimers, envelope } from '../helpers/dashboard-fakes.ts';

function setup(log: EventEnvelope[] = []) {
  const timers = new ManualTimers();
  const sources: FakeSource[] = [];
  const delivered: number[] = [];
  const reads: Array<[number, number | undefined]> = [];
  const connection = new LiveConnection({
    url: (after) => `/events?access_token=t&after=${after}`,
    open: (url) => {
      const source = new FakeSource(url);
      sources.push(source);
      return source;
    },
    readAfter: async (after, before) => {
      reads.push([after, before]);
      return log.filter((e) => e.seq > after && (before === undefined || e.seq < before));
    },
    deliver: (events) => delivered.push(...events.map((e) => e.seq)),
    timers,
    batchMs: 50,
  });
  const last = () => sources.at(-1)!;
  return { connection, timers, sources, last, delivered, reads };
}

describe('the live connection', () => {
  test('opens one stream after the given seq and says connected', () => {
    const { connection, sources, last } = setup();
    connection.start(42);
    assert.equal(sources.length, 1);
    assert.equal(last().url, '/events?access_token=t&after=42');
    assert.equal(connection.state.value, 'connecting');
    last().open();
    assert.equal(connection.state.value, 'connected');
  });

  test('an unnamed frame of a custom type never seen before is delivered at once', async () => {
    const { connection, timers, last, delivered, reads } = setup();
    connection.start(0);
    last().open();
    await connection.settled();
    last().sendUnnamed(envelope(1, 'x.brand_new_type'));
    timers.advance(50);
    await connection.settled();
    assert.deepEqual(delivered, [1]);
    assert.equal(reads.filter(([after]) => after >= 1).length, 0, 'no catch-up read was needed');
  });

  test('listens to every catalog type by name', () => {
    const { connection, last } = setup();
    connection.start(0);
    for (const type of ['decision.requested', 'heal.escalated', 'task.transitioned', 'agent.output', 'x.progress']) assert.ok(last().listeners.has(type), type);
  });

  test('hands on a burst of events together, in order, each once', async () => {
    const { connection, timers, last, delivered } = setup();
    connection.start(0);
    last().send(envelope(1, 'agent.output'));
    last().send(envelope(2, 'agent.output'));
    last().send(envelope(2, 'agent.output'));
    assert.deepEqual(delivered, []);
    timers.advance(50);
    await connection.settled();
    assert.deepEqual(delivered, [1, 2]);
  });

  test('a skipped seq is filled from the log first, and the custom names found are listened to from then on', async () => {
    const log = [envelope(1, 'task.created'), envelope(2, 'x.deploy'), envelope(3, 'x.deploy'), envelope(4, 'task.created')];
    const { connection, last, delivered, reads } = setup(log);
    connection.start(1);
    last().send(log[1]!); // unheard: no listener for x.deploy yet
    last().send(log[2]!);
    last().send(log[3]!);
    await connection.settled();
    assert.deepEqual(delivered, [2, 3, 4]);
    assert.deepEqual(reads, [[1, 4]]);
    assert.ok(last().listeners.has('x.deploy'));
    last().send(envelope(5, 'x.deploy'));
    await connection.settled();
    assert.deepEqual(delivered, [2, 3, 4, 5]);
  });

  test('catching up reads past the last event and hands on what no listener heard', async () => {
    const log = [envelope(1, 'x.lonely'), envelope(2, 'x.lonely')];
    const { connection, delivered, reads } = setup(log);
    connection.start(0);
    await connection.catchUp();
    assert.deepEqual(delivered, [1, 2]);
    assert.deepEqual(reads, [[0, undefined]]);
  });

  test('opening (or reopening) the stream catches up once', async () => {
    const { connection, last, reads } = setup();
    connection.start(7);
    last().open();
    await connection.settled();
    assert.deepEqual(reads, [[7, undefined]]);
  });

  test('while the browser retries by itself it says reconnecting, then offline after three failures', () => {
    const { connection, sources, last } = setup();
    connection.start(0);
    last().open();
    last().fail(false);
    assert.equal(connection.state.value, 'reconnecting');
    last().fail(false);
    last().fail(false);
    assert.equal(connection.state.value, 'offline');
    assert.equal(sources.length, 1, 'the browser reconnects with Last-Event-ID itself; no new stream');
    last().open();
    assert.equal(connection.state.value, 'connected');
  });

  test('when the browser gives up, a new stream opens after the last seq seen, with growing waits', async () => {
    const { connection, timers, sources, last } = setup();
    connection.start(0);
    last().open();
    last().send(envelope(1, 'agent.output'));
    last().send(envelope(2, 'agent.output'));
    last().fail(true);
    assert.equal(sources[0]!.closed, true);
    assert.deepEqual(timers.pending.sort((a, b) => a - b), [50, 1000]);
    timers.advance(1000);
    assert.equal(sources.length, 2);
    assert.equal(last().url, '/events?access_token=t&after=2');
    last().fail(true);
    assert.ok(timers.pending.includes(2000));
  });

  test('stopping closes the stream and hands on nothing more', async () => {
    const { connection, last, delivered } = setup();
    connection.start(0);
    const source = last();
    source.send(envelope(1, 'agent.output'));
    connection.stop();
    await connection.settled();
    assert.equal(source.closed, true);
    assert.deepEqual(delivered, []);
    assert.equal(connection.state.value, 'offline');
  });
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { type TestHub, testHub } from '../helpers/hub.ts';
import type { SseConnection } from '../helpers/sse.ts';

// Invariant 2: a reader that has seen seq N never later finds an event below N. Two hubs share
// one database, so appends race across pools; subscribers on both hubs drop and resume.

let database: TestDatabase;
let hubs: Array<Awaited<ReturnType<typeof testHub>>>;

before(async () => {
  database = await testDatabase();
  hubs = [await testHub(database.url), await testHub(database.url)];
});
after(async () => {
  for (const hub of hubs) await hub.close();
  await database.drop();
});

/** A subscriber that sometimes hangs up and resumes from the last seq it saw, keeping everything it received. */
class ResumingSubscriber {
  readonly received: number[] = [];
  private connection: SseConnection | undefined;
  private readonly hub: TestHub;

  constructor(hub: TestHub) {
    this.hub = hub;
  }

  async connect(): Promise<void> {
    const last = this.received.at(-1);
    const headers: Record<string, string> = last === undefined ? {} : { 'last-event-id': String(last) };
    this.connection = await this.hub.sse('/events?after=0&types=x.gap', { ...this.hub.auth, ...headers }, (e) => this.received.push(e.seq));
  }

  async reconnect(): Promise<void> {
    this.connection!.close();
    await this.connection!.closed;
    await this.connect();
  }

  close(): void {
    this.connection?.close();
  }
}

test('no subscriber misses, repeats or reorders an acknowledged event under concurrent single and batch writers', async () => {
  const subscribers = hubs.flatMap((hub) => [0, 1, 2].map(() => new ResumingSubscriber(hub)));
  await Promise.all(subscribers.map((s) => s.connect()));

  const acknowledged: number[] = [];
  const writers = 12;
  const requestsPerWriter = 40;
  let written = 0;
  const writer = async (w: number) => {
    for (let r = 0; r < requestsPerWriter; r += 1) {
      const hub = hubs[(w + r) % hubs.length]!;
      const size = r % 3 === 0 ? 1 + ((w * 7 + r) % 25) : 0;
      // Half the writers name an agent, whose view folds their events: those go through a
      // transaction, the others' through the one insert statement of a group that only appends.
      const about = w % 2 === 1 ? { agentId: `agt_gap_${w}` } : {};
      const body = size === 0
        ? { type: 'x.gap', data: { w, r }, ...about }
        : { events: Array.from({ length: size }, (_, i) => ({ type: 'x.gap', data: { w, r, i }, ...about })) };
      const res = await hub.post(`/events`, body);
      assert.equal(res.status, 201);
      acknowledged.push(...(size === 0 ? [res.body.seq] : res.body.events.map((e: { seq: number }) => e.seq)));
      written += 1;
    }
  };
  const churn = async () => {
    // Drop and resume subscribers while writes are in flight.
    while (written < writers * requestsPerWriter) {
      await new Promise((r) => setTimeout(r, 15));
      const victim = subscribers[Math.floor(Math.random() * subscribers.length)]!;
      await victim.reconnect();
    }
  };
  await Promise.all([...Array.from({ length: writers }, (_, w) => writer(w)), churn()]);

  const expected = [...acknowledged].sort((a, b) => a - b);
  assert.equal(new Set(expected).size, expected.length, 'every acknowledged event has its own seq');
  const deadline = Date.now() + 15_000;
  while (subscribers.some((s) => (s.received.at(-1) ?? 0) < expected.at(-1)!) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const [i, s] of subscribers.entries()) {
    assert.deepEqual(s.received, expected, `subscriber ${i} saw the log differently`);
  }
  for (const s of subscribers) s.close();
});

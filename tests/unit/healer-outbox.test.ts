import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { pino } from 'pino';
import { HubClientError } from '../../server/client/errors.ts';
import type { CallbackReceipt } from '../../server/healer/deliver.ts';
import { Outbox } from '../../server/healer/outbox.ts';
import { HealerStateStore, readStateFile } from '../../server/healer/state-file.ts';
import type { OutboxEntry } from '../../server/healer/state.ts';

const dir = await mkdtemp(path.join(tmpdir(), 'healer-outbox-'));
after(() => rm(dir, { recursive: true, force: true }));
const logger = pino({ level: 'silent' });
let files = 0;

const completed = (id: string): OutboxEntry => ({ webhookId: id, type: 'heal.completed', data: { failureEventId: id }, queuedAt: '2026-01-01T00:00:00.000Z' });
const escalated = (id: string): OutboxEntry => ({
  ...completed(id),
  type: 'heal.escalated',
  escalation: { failureEventId: id, failureType: 'agent.failed', lineage: id, summary: id, action: 'respawn', attempts: 0 },
});

async function storeWith(entries: OutboxEntry[]): Promise<HealerStateStore> {
  const store = await HealerStateStore.open(path.join(dir, `state-${++files}.json`));
  store.update((state) => ({ ...state, outbox: entries }));
  await store.save();
  return store;
}

const down = () => new HubClientError(0, 'unreachable', 'connection refused', 'cannot reach the hub');

describe('the outbox', () => {
  test('delivers oldest first, remembers the decision of an escalation, and empties the file', async () => {
    const store = await storeWith([completed('a'), escalated('b')]);
    const sent: string[] = [];
    const outbox = new Outbox({ store, logger, send: async (e): Promise<CallbackReceipt> => (sent.push(e.webhookId), e.type === 'heal.escalated' ? { decisionId: 'dec_b' } : {}) });
    outbox.start();
    assert.equal(await outbox.escalationsSent(2000), true);
    await outbox.stop(1000);
    assert.deepEqual(sent, ['a', 'b']);
    const saved = await readStateFile(store.file);
    assert.deepEqual(saved.outbox, []);
    assert.equal(saved.escalations.dec_b?.failureEventId, 'b');
  });

  test('while the hub is down it retries with backoff, and loses nothing', async () => {
    const store = await storeWith([completed('a')]);
    let tries = 0;
    const outbox = new Outbox({ store, logger, retry: { baseMs: 5, maxMs: 20 }, send: async () => (++tries < 4 ? Promise.reject(down()) : {}) });
    outbox.start();
    while (store.state.outbox.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await outbox.stop(1000);
    assert.equal(tries, 4);
  });

  test('stopped while the hub is down: the callback stays in the file for the next start', async () => {
    const store = await storeWith([completed('a')]);
    const outbox = new Outbox({ store, logger, retry: { baseMs: 60_000, maxMs: 60_000 }, send: async () => Promise.reject(down()) });
    outbox.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await outbox.stop(1000);
    assert.ok(Date.now() - started < 500, 'a stop cuts the retry wait short');
    assert.deepEqual((await readStateFile(store.file)).outbox.map((e) => e.webhookId), ['a']);
  });

  test('a callback the hub refuses as a bad body (400) is dropped, so the rest still go', async () => {
    const store = await storeWith([completed('bad'), completed('good')]);
    const sent: string[] = [];
    const outbox = new Outbox({
      store,
      logger,
      send: async (e) => {
        sent.push(e.webhookId);
        if (e.webhookId === 'bad') throw new HubClientError(400, 'validation_failed', 'no', 'no');
        return {};
      },
    });
    outbox.start();
    while (store.state.outbox.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await outbox.stop(1000);
    assert.deepEqual(sent, ['bad', 'good']);
  });

  test('new callbacks are sent when kicked', async () => {
    const store = await storeWith([]);
    const sent: string[] = [];
    const outbox = new Outbox({ store, logger, send: async (e) => (sent.push(e.webhookId), {}) });
    outbox.start();
    store.update((state) => ({ ...state, outbox: [completed('late')] }));
    outbox.kick();
    while (store.state.outbox.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await outbox.stop(1000);
    assert.deepEqual(sent, ['late']);
  });
});

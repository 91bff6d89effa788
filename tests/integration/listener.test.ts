import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { LogListener, type ListenerState } from '../../server/stream/listener.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';

describe('LogListener: LISTEN is only a wake-up', () => {
  let database: TestDatabase;
  before(async () => {
    database = await testDatabase();
  });
  after(async () => {
    await database.drop();
  });

  function listenerOn(connectionString: string, appName: string) {
    const wakes: number[] = [];
    const states: ListenerState[] = [];
    const listener = new LogListener({
      connection: { connectionString, application_name: appName, connectionTimeoutMillis: 1000 },
      channel: 'mc_events',
      pollMs: 40,
      idlePollMs: 60_000,
      onWake: () => wakes.push(Date.now()),
      onStateChange: (state) => states.push(state),
    });
    return { listener, wakes, states };
  }

  const until = async (check: () => boolean, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  test('a NOTIFY on the channel wakes the hub', async () => {
    const { listener, wakes } = listenerOn(database.url, 'listener-test-notify');
    await listener.start();
    assert.equal(listener.state, 'connected');
    const before = wakes.length;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`SELECT pg_notify('mc_events', '1')`);
    await until(() => wakes.length > before);
    await client.end();
    await listener.stop();
  });

  test('while the database cannot be reached for LISTEN, it polls', async () => {
    const unreachable = new URL(database.url);
    unreachable.port = '1';
    const { listener, wakes } = listenerOn(unreachable.toString(), 'listener-test-down');
    await listener.start();
    assert.equal(listener.state, 'polling');
    const before = wakes.length;
    await until(() => wakes.length >= before + 3);
    await listener.stop();
  });

  test('a killed listen connection falls back to polling, reconnects and wakes once back', async () => {
    const { listener, wakes, states } = listenerOn(database.url, 'listener-test-kill');
    await listener.start();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'listener-test-kill'`);
    await until(() => states.includes('polling'));
    const wakesWhenLost = wakes.length;
    await until(() => states.at(-1) === 'connected');
    assert.ok(wakes.length > wakesWhenLost, 'reconnecting wakes the reader for what it may have missed');
    await admin.end();
    await listener.stop();
  });
});

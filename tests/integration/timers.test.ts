// One hub at a time runs the timers: a hub that cannot take the timers' lock runs none of them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { timersLockKey } from '../../server/timers.ts';
import { ManualClock } from '../helpers/clock.ts';
import { ask, call } from '../helpers/decisions.ts';
import { hubSuite } from '../helpers/hub-suite.ts';

const clock = new ManualClock();
// Ticks only by hand.
const suite = hubSuite({ timers: { tickMs: 3_600_000 } }, [], clock);

/** A connection of its own, standing in for another hub while it runs the timers. */
let otherHub: pg.Client;
before(async () => {
  await suite.ready();
  otherHub = new pg.Client({ connectionString: suite.database.url });
  await otherHub.connect();
});
after(async () => {
  await otherHub?.end();
});

const status = async (id: string) => (await call(suite.hub, 'GET', `/decisions/${id}`)).body.status as string;

test('while another hub holds the timers, this hub runs none: a due decision stays pending until the lock is free', async () => {
  const { id } = await ask(suite.hub, { expiresInSec: 60 });
  clock.advance(61_000);
  await otherHub.query('BEGIN');
  try {
    await otherHub.query('SELECT pg_advisory_xact_lock($1)', [timersLockKey]);
    assert.equal(await suite.hub.timers.tick(), false, 'the tick ran no timer');
    assert.equal(await status(id), 'pending');
  } finally {
    await otherHub.query('COMMIT');
  }
  assert.equal(await suite.hub.timers.tick(), true);
  assert.equal(await status(id), 'expired');
});

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { sql } from 'kysely';
import { hubSuite } from '../helpers/hub-suite.ts';
import { getJson } from '../helpers/hub.ts';

const suite = hubSuite();
// The newest migration, named by its file, not by the code that runs them.
const newest = readdirSync(new URL('../../server/db/migrations/', import.meta.url)).sort().at(-1)!.replace(/\.ts$/, '');

test('/readyz on a database whose newest migration is missing is 503, naming that migration', async () => {
  // As a database restored from before the newest migration would be, under a hub that expects it.
  const deleted = await sql`DELETE FROM kysely_migration WHERE name = ${newest}`.execute(suite.hub.db);
  assert.equal(deleted.numAffectedRows, 1n, `a migration row named ${newest}`);
  const res = await getJson(`${suite.hub.url}/readyz`);
  assert.deepEqual([res.status, res.body], [503, { status: 'unavailable', checks: { database: 'ok', migrations: `behind ${newest}`, listener: 'ok' } }]);
});

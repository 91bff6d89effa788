// The hub and the healer listen on loopback unless HOST says otherwise, so a fresh `npm start`
// is reachable from this machine only. 127.0.0.2 is loopback too, but only a socket bound to
// every address (0.0.0.0) answers there: it tells the two bindings apart without a network.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { testHealerSecret } from '../helpers/hub.ts';
import { type ServiceProcess, startHealerProcess, startHubProcess } from '../helpers/hub-process.ts';
import { until } from '../helpers/until.ts';

const healerToken = 'mc_healer_token_for_the_listen_test_0123456789';

/** The status `/healthz` answers at `host` on the service's port, or the connection error's code. */
async function healthAt(service: ServiceProcess, host: string): Promise<number | string> {
  const url = new URL('/healthz', service.url);
  url.hostname = host;
  try {
    return (await fetch(url)).status;
  } catch (error) {
    return String(((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? error);
  }
}

let dir: string;
let database: TestDatabase;
let hub: ServiceProcess;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mc-listen-'));
  database = await testDatabase();
  // MC_HEALER=off with a token given, as docker-compose.dev.yml runs it: the healer runs elsewhere.
  hub = await startHubProcess({ DATABASE_URL: database.url, HOST: '', MC_HEALER_TOKEN: healerToken, MC_HEALER_SECRET: testHealerSecret });
});
after(async () => {
  assert.equal(await hub?.stop(), 0);
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the hub', () => {
  test('listens on 127.0.0.1 by default, and on no other address', async () => {
    assert.equal(await healthAt(hub, '127.0.0.1'), 200);
    assert.equal(await healthAt(hub, '127.0.0.2'), 'ECONNREFUSED');
  });

  test('listens where HOST says (0.0.0.0 in a container)', async () => {
    const everywhere = await startHubProcess({ DATABASE_URL: database.url, HOST: '0.0.0.0' });
    try {
      assert.equal(await healthAt(everywhere, '127.0.0.2'), 200);
    } finally {
      assert.equal(await everywhere.stop(), 0);
    }
  });
});

describe('the healer, run apart from the hub', () => {
  let healer: ServiceProcess;
  before(async () => {
    healer = await startHealerProcess({ HOST: '', MC_HUB_URL: hub.url, MC_HEALER_TOKEN: healerToken, MC_HEALER_SECRET: testHealerSecret, MC_HEALER_STATE: path.join(dir, 'healer-state.json') });
  });
  after(async () => {
    assert.equal(await healer?.stop(), 0);
  });

  test('listens on 127.0.0.1 by default, and on no other address', async () => {
    assert.equal(await healthAt(healer, '127.0.0.1'), 200);
    assert.equal(await healthAt(healer, '127.0.0.2'), 'ECONNREFUSED');
  });

  test('follows the log with MC_HEALER_TOKEN, which the hub registers even when it runs no healer itself', async () => {
    const readyz = new URL('/readyz', healer.url);
    const status = await until('the healer to be ready', async () => ((await fetch(readyz)).status === 200 ? 200 : undefined));
    assert.equal(status, 200);
  });
});

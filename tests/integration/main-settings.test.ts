import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { bearer, getJson, postJson } from '../helpers/hub.ts';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.ts';

// What the composition root (server/main.ts) reads from its environment, seen from outside a real process.
const scratch = mkdtempSync(path.join(tmpdir(), 'mc-main-settings-'));
const configFile = path.join(scratch, 'mission-control.yaml');
const adminToken = `mc_${randomBytes(24).toString('base64url')}`;
let database: TestDatabase;
let hub: HubProcess;

before(async () => {
  database = await testDatabase();
  writeFileSync(configFile, ['budgets: { agentUsd: 3 }', 'templates:', '  configured: { description: from the file, command: node, args: [--version] }', ''].join('\n'));
  hub = await startHubProcess({ DATABASE_URL: database.url, MC_ADMIN_TOKEN: adminToken, MC_CONFIG: configFile, MC_COMMIT: 'c0ffee1234' });
});
after(async () => {
  await hub?.stop();
  await database?.drop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('a hub process started with MC_CONFIG', () => {
  test('offers only the templates its file lists', async () => {
    const res = await getJson(`${hub.url}/templates`, bearer(adminToken));
    assert.deepEqual([res.status, res.body], [200, { templates: [{ name: 'configured', description: 'from the file' }] }]);
  });

  test('gives agents the budget its file sets', async () => {
    const minted = await postJson(`${hub.url}/tokens`, { role: 'agent', agentId: 'agt_configured' }, bearer(adminToken));
    assert.equal(minted.status, 201, JSON.stringify(minted.body));
    assert.equal((await postJson(`${hub.url}/agents/agt_configured/heartbeat`, {}, bearer(minted.body.token))).status, 200);
    const agent = await getJson(`${hub.url}/agents/agt_configured`, bearer(adminToken));
    assert.deepEqual([agent.status, agent.body.budgetUsd], [200, 3]);
  });
});

test('a hub process reports the commit MC_COMMIT names on /versionz', async () => {
  const res = await getJson(`${hub.url}/versionz`);
  assert.deepEqual([res.status, res.body.commit], [200, 'c0ffee1234']);
});

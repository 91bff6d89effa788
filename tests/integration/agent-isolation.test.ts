// An agent runs code a model wrote: the least trusted caller of the hub. Started by a real hub
// process (server/main.ts, as root, as tests run here and in CI), an agent that goes looking for
// the hub's secrets finds none: not in its parent's /proc entry, not in any process of the hub's
// user, not in the data directory, not in its own environment; and none of them reaches the log.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { bearer, getJson, postJson } from '../helpers/hub.ts';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.ts';
import { until } from '../helpers/until.ts';

const asRoot = process.getuid?.() === 0;
const skip = asRoot ? false : 'the hub switches agents to their own user only when it runs as root';
const snooper = fileURLToPath(new URL('../fixtures/agents/snooper.ts', import.meta.url));
const hubCwd = fileURLToPath(new URL('../../', import.meta.url));

let dir: string;
let database: TestDatabase;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mc-isolation-'));
  database = await testDatabase();
});
after(async () => {
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** A config whose one template runs the snooper with no cwd (so in a directory of its own), told where the data directory is. */
function snooperConfig(dataDir: string): string {
  const file = path.join(dir, `config-${path.basename(dataDir)}.json`);
  const snoop = { command: process.execPath, args: ['--import', import.meta.resolve('tsx'), snooper], env: { SNOOP_DATA_DIR: dataDir } };
  writeFileSync(file, JSON.stringify({ templates: { snoop } }));
  return file;
}

async function snoopReport(hub: HubProcess, adminToken: string): Promise<{ report: Record<string, any>; log: string }> {
  const spawned = await postJson(`${hub.url}/spawn`, { template: 'snoop' }, bearer(adminToken));
  assert.equal(spawned.status, 202, JSON.stringify(spawned.body));
  const agentId = spawned.body.agentId as string;
  const events = await until('the snooper to end', async () => {
    const page = await getJson(`${hub.url}/events?agent=${agentId}&limit=1000`, bearer(adminToken));
    const all = page.body.events as Array<{ type: string; data: Record<string, any> }>;
    return all.some((e) => e.type === 'agent.exited' || e.type === 'agent.failed') ? all : undefined;
  }, 30_000);
  const report = events.find((e) => e.type === 'x.fixture.snoop');
  assert.ok(report, `the snooper reported: ${JSON.stringify(events.map((e) => [e.type, e.data]))}`);
  const log = await getJson(`${hub.url}/events?limit=1000`, bearer(adminToken));
  return { report: report.data, log: JSON.stringify(log.body) };
}

describe('an agent looking for the hub\'s secrets (tests/fixtures/agents/snooper.ts)', { skip }, () => {
  const adminToken = 'mc_admin_isolation_must_not_leak_0123456789';
  const healerSecret = `whsec_${Buffer.from('the isolation test healer secret').toString('base64')}`;
  const canary = 'mc-canary-in-the-hub-environment';
  const dataDir = () => path.join(dir, 'data');
  let hub: HubProcess;
  let report: Record<string, any>;
  let log: string;

  before(async () => {
    // The secrets in plain variables, the way the attack found them: the hub's initial
    // environment stays readable in /proc/<pid>/environ whatever the hub does after it starts.
    hub = await startHubProcess({
      DATABASE_URL: database.url,
      MC_ADMIN_TOKEN: adminToken,
      MC_HEALER_SECRET: healerSecret,
      MC_LEAK_CANARY: canary,
      MC_HEALER: 'on',
      MC_RUNNER: 'on',
      HEALER_PORT: '0',
      MC_DATA_DIR: dataDir(),
      MC_CONFIG: snooperConfig(dataDir()),
    });
    ({ report, log } = await snoopReport(hub, adminToken));
  });
  after(async () => {
    assert.equal(await hub?.stop(), 0);
  });

  test('runs as a user of its own, not the hub\'s', () => {
    assert.notEqual(report.uid, process.getuid!());
  });

  test('cannot read the hub\'s initial environment in /proc/<its parent>/environ', () => {
    assert.equal(report.parentEnvironment, 'EACCES');
  });

  test('cannot read the environment of any process of the hub\'s user (the hub, the healer)', () => {
    const ownerOf = (pid: number) => {
      try {
        return statSync(`/proc/${pid}`).uid;
      } catch {
        return undefined;
      }
    };
    const hubUsers = (report.readableEnvironments as number[]).filter((pid) => ownerOf(pid) === process.getuid!());
    assert.deepEqual(hubUsers, []);
  });

  test('cannot list the data directory nor read the healer\'s or the runner\'s token, secret or state in it', () => {
    assert.equal(report.dataDirListing, 'EACCES');
    for (const [file, outcome] of Object.entries(report.dataFiles as Record<string, string>)) assert.match(outcome, /^(EACCES|ENOENT)$/, `${file}: ${outcome}`);
  });

  test('gets none of the hub\'s secrets in its own environment', () => {
    const leaked = (report.environmentNames as string[]).filter((name) => /^(DATABASE_URL|MC_ADMIN_TOKEN|MC_HEALER_|MC_RUNNER_|MC_LEAK_CANARY)/.test(name));
    assert.deepEqual(leaked, []);
  });

  test('works in a fresh directory of its own, neither the hub\'s working directory nor inside the data directory', () => {
    const cwd = report.cwd as string;
    assert.notEqual(path.resolve(cwd), path.resolve(hubCwd));
    assert.ok(path.relative(dataDir(), cwd).startsWith('..'), `${cwd} is inside ${dataDir()}`);
  });

  test('so nothing it printed or reported carries a secret of the hub', () => {
    const [healerToken, runnerToken] = ['healer-token', 'runner-token'].map((name) => readFileSync(path.join(dataDir(), name), 'utf8').trim());
    for (const secret of [database.url, adminToken, healerSecret, healerToken!, runnerToken!, canary]) assert.ok(!log.includes(secret), `the log holds ${secret.slice(0, 12)}...`);
  });

  test('the data directory is 0700 and its secret files 0600, owned by the hub\'s user', () => {
    const own = statSync(dataDir());
    assert.equal(own.mode & 0o777, 0o700);
    assert.equal(own.uid, process.getuid!());
    for (const name of readdirSync(dataDir()).filter((n) => n.startsWith('healer-') || n === 'runner-token')) {
      const file = statSync(path.join(dataDir(), name));
      assert.equal(file.mode & 0o777, 0o600, name);
      assert.equal(file.uid, process.getuid!(), name);
    }
  });
});

describe('secrets given as files (DATABASE_URL_FILE, MC_ADMIN_TOKEN_FILE, MC_HEALER_SECRET_FILE, MC_HEALER_TOKEN_FILE, MC_RUNNER_TOKEN_FILE)', () => {
  const secrets = {
    DATABASE_URL: () => database.url,
    MC_ADMIN_TOKEN: () => 'mc_admin_from_a_file_0123456789abcdef',
    MC_HEALER_SECRET: () => `whsec_${Buffer.from('a healer secret from a file').toString('base64')}`,
    MC_HEALER_TOKEN: () => 'mc_healer_from_a_file_0123456789abcdef',
    MC_RUNNER_TOKEN: () => 'mc_runner_from_a_file_0123456789abcdef',
  };
  let hub: HubProcess;

  before(async () => {
    const env: Record<string, string> = { MC_HEALER: 'on', MC_RUNNER: 'on', HEALER_PORT: '0', MC_DATA_DIR: path.join(dir, 'data-files') };
    for (const [name, value] of Object.entries(secrets)) {
      const file = path.join(dir, name.toLowerCase());
      writeFileSync(file, `${value()}\n`, { mode: 0o600 });
      env[`${name}_FILE`] = file;
      env[name] = ''; // not inherited from the test's own environment
    }
    hub = await startHubProcess(env);
  });
  after(async () => {
    assert.equal(await hub?.stop(), 0);
  });

  test('are read from their files: the admin token works', async () => {
    const minted = await postJson(`${hub.url}/tokens`, { role: 'viewer' }, bearer(secrets.MC_ADMIN_TOKEN()));
    assert.equal(minted.status, 201, JSON.stringify(minted.body));
  });

  test('the healer token is registered, so the healer the hub runs follows the log with it', async () => {
    const healer = await hub.waitForLog((l) => l.name === 'healer' && String(l.msg).includes('listening'));
    const ready = await until('the healer to follow the log', async () => {
      const res = await fetch(`${String(healer.url)}/readyz`).catch(() => undefined);
      return res?.status === 200 ? res.status : undefined;
    });
    assert.equal(ready, 200);
  });

  test('the runner token is registered, so the runner the hub runs registers with it', async () => {
    const registered = await hub.waitForLog((l) => l.name === 'runner' && String(l.msg).includes('registered'));
    const runners = await getJson(`${hub.url}/runners`, bearer(secrets.MC_ADMIN_TOKEN()));
    const own = runners.body.runners.find((r: { id: string }) => r.id === registered.runnerId);
    assert.equal(own?.status, 'online', JSON.stringify(runners.body));
  });

  test('stay out of the environment of the hub and of the healer and the runner it starts', async () => {
    const hubPid = hub.child.pid!;
    const serviceOf = (script: string) => until(`the ${script} process`, () =>
      readdirSync('/proc')
        .filter((name) => /^\d+$/.test(name))
        .map(Number)
        .find((pid) => {
          try {
            const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
            return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === hubPid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(script);
          } catch {
            return false;
          }
        }),
    );
    const pids: Array<[string, number]> = [['the hub', hubPid], ['the healer', await serviceOf('healer/main.ts')], ['the runner', await serviceOf('runner/main.ts')]];
    for (const [who, pid] of pids) {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      for (const [name, value] of Object.entries(secrets)) assert.ok(!environ.includes(value()), `${name}'s value in the environment of ${who}`);
    }
  });
});

test('a runner whose template works inside the data directory or its own state refuses to start, and says which template', () => {
  const dataDir = path.join(dir, 'data-refused');
  const config = path.join(dir, 'config-refused.json');
  writeFileSync(config, JSON.stringify({ templates: { nosy: { command: process.execPath, cwd: path.join(dataDir, 'work') } } }));
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'server/runner/main.ts'], {
      cwd: hubCwd,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, MC_RUNNER_TOKEN: 'mc_not_used_before_the_check', MC_CONFIG: config, MC_HUB_URL: 'http://127.0.0.1:9', ...env },
    });
  const inData = run({ MC_DATA_DIR: dataDir, MC_RUNNER_STATE: path.join(dir, 'runner-state-elsewhere') });
  assert.equal(inData.status, 1, inData.stdout + inData.stderr);
  assert.match(inData.stdout, /template \\"nosy\\" has cwd \S+, inside the data directory/);
  const inState = run({ MC_RUNNER_STATE: dataDir });
  assert.equal(inState.status, 1, inState.stdout + inState.stderr);
  assert.match(inState.stdout, /template \\"nosy\\" has cwd \S+, inside the runner state directory/);
});

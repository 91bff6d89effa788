import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { until } from '../helpers/until.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
// The data directory itself, so that the embedded PostgreSQL's user (as root: `postgres`) can reach it.
const dataDir = mkdtempSync(path.join(tmpdir(), 'mc-start-stop-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

interface StartedByNpm {
  npm: ReturnType<typeof spawn>;
  logs: Array<Record<string, unknown>>;
  /** The hub's, the healer's and the embedded PostgreSQL's. */
  pids: { hub: number; healer: number; postgres: number };
}

/** `npm start` as a terminal would run it: the leader of its own process group, on the embedded database, with the healer. */
async function npmStart(dataDir: string): Promise<StartedByNpm> {
  const npm = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: '', MC_DATA_DIR: dataDir, PORT: '0', HEALER_PORT: '0', MC_HEALER: 'on', LOG_LEVEL: 'info' },
  });
  const logs: Array<Record<string, unknown>> = [];
  const parse = (line: string) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      logs.push({ msg: line });
    }
  };
  createInterface({ input: npm.stdout! }).on('line', parse);
  createInterface({ input: npm.stderr! }).on('line', parse);
  const line = (msg: string) => {
    if (npm.exitCode !== null) throw new Error(`npm start exited with ${npm.exitCode}:\n${logs.map((l) => JSON.stringify(l)).join('\n')}`);
    return logs.find((l) => String(l.msg).startsWith(msg));
  };
  const hub = await until('the hub to listen', () => line('Mission Control hub listening'), 90_000);
  const healer = await until('the healer to listen', () => line('healer listening'), 30_000);
  const postgres = line('the embedded PostgreSQL is ready')!;
  return { npm, logs, pids: { hub: Number(hub.pid), healer: Number(healer.pid), postgres: Number(postgres.postgresPid) } };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every process `npm start` made is gone, and the log says they stopped hub, healer, database, in that order, with no error. */
async function assertStoppedInOrder(started: StartedByNpm): Promise<void> {
  for (const [name, pid] of Object.entries(started.pids)) await until(`the ${name} (pid ${pid}) to exit`, () => (alive(pid) ? undefined : true), 10_000);
  const at = (msg: string) => started.logs.findIndex((l) => l.msg === msg);
  const order = ['the hub stopped', 'the healer stopped', 'the embedded PostgreSQL stopped'].map(at);
  assert.ok(order.every((i) => i >= 0), `every stop is logged: ${JSON.stringify(order)}`);
  assert.deepEqual([...order].sort((a, b) => a - b), order, 'hub, then healer, then database');
  const errors = started.logs.filter((l) => typeof l.level === 'number' && l.level >= 50);
  assert.deepEqual(errors, []);
}

describe('npm start stops everything it started', () => {
  const leftovers: StartedByNpm[] = [];
  after(() => {
    for (const { pids } of leftovers) for (const pid of Object.values(pids)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  test('a first start prints the dashboard\'s URL with an admin token that signs in', async () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'mc-start-first-'));
    after(() => rmSync(fresh, { recursive: true, force: true }));
    const started = await npmStart(fresh);
    leftovers.push(started);
    const hubUrl = String(started.logs.find((l) => String(l.msg).startsWith('Mission Control hub listening'))!.url);
    const printed = started.logs.map((l) => String(l.msg).match(/^\s*Dashboard: (\S+)\/#token=(\S+)$/)).find((m) => m !== null);
    assert.ok(printed, 'a Dashboard: line with a token');
    assert.equal(printed[1], hubUrl);
    const whoami = await fetch(`${hubUrl}/whoami`, { headers: { authorization: `Bearer ${decodeURIComponent(printed[2]!)}` } });
    assert.deepEqual([whoami.status, ((await whoami.json()) as { role: string }).role], [200, 'admin']);
    process.kill(started.npm.pid!, 'SIGTERM');
    await assertStoppedInOrder(started);
  });

  test('kill -TERM of the npm process stops the hub, then the healer, then the embedded PostgreSQL', async () => {
    const started = await npmStart(dataDir);
    leftovers.push(started);
    process.kill(started.npm.pid!, 'SIGTERM');
    await assertStoppedInOrder(started);
  });

  test('Ctrl-C (SIGINT to the whole process group) stops them in the same order, the database only when the hub says', async () => {
    const started = await npmStart(dataDir);
    leftovers.push(started);
    process.kill(-started.npm.pid!, 'SIGINT');
    await assertStoppedInOrder(started);
  });
});

/** The pids of the PostgreSQL servers running on data under `dir`, from /proc. */
function postgresOn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(path.join(dir, 'pg'));
      } catch {
        return false;
      }
    })
    .map(Number);
}

test('a SIGTERM while the embedded PostgreSQL starts ends the start and leaves no database running', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mc-start-stop-early-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const hub = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, DATABASE_URL: '', MC_DATA_DIR: dir, PORT: '0', MC_HEALER: 'off', LOG_LEVEL: 'info' },
  });
  const exited = new Promise((resolve) => hub.once('exit', resolve));
  const lines = createInterface({ input: hub.stdout! });
  await until('the postmaster to be started', () => (postgresOn(dir).length > 0 ? true : undefined), 60_000);
  hub.kill('SIGTERM');
  const code = await exited;
  lines.close();
  await until('no PostgreSQL on its data', () => (postgresOn(dir).length === 0 ? true : undefined), 10_000);
  assert.equal(code, 1);
});

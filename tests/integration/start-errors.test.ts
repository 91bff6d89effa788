import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { testHealerSecret } from '../helpers/hub.ts';
import { type ServiceExit, runUntilExit, startHubProcess } from '../helpers/hub-process.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'mc-start-errors-'));
let database: TestDatabase;
before(async () => {
  database = await testDatabase();
});
after(async () => {
  await database.drop();
  rmSync(scratch, { recursive: true, force: true });
});

/** A port held by another server for the duration of `use`. */
async function withPortTaken<T>(use: (port: number) => Promise<T>): Promise<T> {
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    return await use((server.address() as { port: number }).port);
  } finally {
    server.close();
  }
}

/** Exits 1 with one line of trouble (an error or fatal log line, or anything not a log line) that matches `expected` and holds no stack. */
function assertOneLine(exit: ServiceExit, expected: RegExp): void {
  const trouble = exit.lines.filter((line) => line.trim() !== '' && !/^\{"level":[1-4]\d,/.test(line));
  assert.equal(exit.code, 1, `exit code; output:\n${exit.lines.join('\n')}`);
  assert.equal(trouble.length, 1, `one line of trouble, not:\n${trouble.join('\n')}`);
  assert.match(trouble[0]!, expected);
  assert.doesNotMatch(trouble[0]!, /"stack"/);
}

// Each case is a process of its own that fails fast: a few run side by side.
describe('a hub that cannot start says what to fix in one line and exits 1', { concurrency: 3 }, () => {
  test('the port is in use', async () => {
    const exit = await withPortTaken((port) => runUntilExit('server/main.ts', { DATABASE_URL: database.url, PORT: String(port) }));
    assertOneLine(exit, /the hub could not start: port \d+ on 127\.0\.0\.1 is in use by another process: stop it, or set PORT to a free port/);
  });

  test('the data directory is held by a live hub, named by its pid', async () => {
    const dir = path.join(scratch, 'held');
    mkdirSync(dir, { recursive: true });
    // This test's own process stands for the hub that holds it: alive, and not the new hub.
    writeFileSync(path.join(dir, 'hub.pid'), `${process.pid}\n`);
    const exit = await runUntilExit('server/main.ts', { DATABASE_URL: '', MC_DATA_DIR: dir });
    assertOneLine(exit, new RegExp(`the hub could not start: the data directory .* is in use by the hub with pid ${process.pid}: stop it first \\(kill -TERM ${process.pid}\\)`));
  });

  test('npm run rebuild on a running hub\'s data directory says that hub must stop first', async () => {
    const dir = path.join(scratch, 'held-rebuild');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'hub.pid'), `${process.pid}\n`);
    const exit = await runUntilExit('server/main.ts', { DATABASE_URL: '', MC_DATA_DIR: dir }, ['rebuild']);
    assertOneLine(exit, new RegExp(`the rebuild could not run: the data directory .* is in use by the hub with pid ${process.pid}: stop it first \\(kill -TERM ${process.pid}\\) to rebuild`));
  });

  test('an embedded PostgreSQL left running by an earlier hub is named by its pid', async () => {
    const dir = path.join(scratch, 'orphaned');
    mkdirSync(path.join(dir, 'pg'), { recursive: true });
    writeFileSync(path.join(dir, 'pg', 'postmaster.pid'), `${process.pid}\n${path.join(dir, 'pg')}\n`);
    const exit = await runUntilExit('server/main.ts', { DATABASE_URL: '', MC_DATA_DIR: dir });
    assertOneLine(exit, new RegExp(`the embedded PostgreSQL of an earlier hub \\(pid ${process.pid}\\) still runs .*: stop it first \\(kill -INT ${process.pid}\\)`));
  });

  test('a database that does not answer is named, without its password', async () => {
    const port = await withPortTaken(async (taken) => taken);
    const exit = await runUntilExit('server/main.ts', { DATABASE_URL: `postgres://postgres:s3cret@127.0.0.1:${port}/postgres` });
    assertOneLine(exit, new RegExp(`the hub could not start: cannot reach the database at 127\\.0\\.0\\.1:${port}/postgres \\(ECONNREFUSED\\): check DATABASE_URL`));
    assert.doesNotMatch(exit.lines.join('\n'), /s3cret/);
  });

  test('a missing config file', async () => {
    const exit = await runUntilExit('server/main.ts', { DATABASE_URL: database.url, MC_CONFIG: path.join(scratch, 'absent.yaml') });
    assertOneLine(exit, /the hub could not start: MC_CONFIG names .*absent\.yaml, which cannot be read \(ENOENT\): fix the path, or unset MC_CONFIG/);
  });

  test('a config file that is not YAML', async () => {
    const file = path.join(scratch, 'broken.yaml');
    writeFileSync(file, 'limits: [bodyBytes: 1\n  - oops: {\n');
    const exit = await runUntilExit('server/main.ts', { DATABASE_URL: database.url, MC_CONFIG: file });
    assertOneLine(exit, /the hub could not start: MC_CONFIG .*broken\.yaml is not valid YAML or JSON: .*line \d+/);
  });

  test('a config file with a field of the wrong type', async () => {
    const file = path.join(scratch, 'wrong.yaml');
    writeFileSync(file, 'limits: { bodyBytes: lots }\n');
    const exit = await runUntilExit('server/main.ts', { DATABASE_URL: database.url, MC_CONFIG: file });
    assertOneLine(exit, /the hub could not start: MC_CONFIG .*wrong\.yaml: \/limits\/bodyBytes must be integer/);
  });

  test('a secret file that cannot be read', async () => {
    const exit = await runUntilExit('server/main.ts', { DATABASE_URL: '', DATABASE_URL_FILE: path.join(scratch, 'no-such-secret') });
    assertOneLine(exit, /the hub could not start: DATABASE_URL_FILE names .*no-such-secret, which cannot be read \(ENOENT\)/);
  });

  test('LOG_LEVEL=debug adds the stack', async () => {
    const exit = await withPortTaken((port) => runUntilExit('server/main.ts', { DATABASE_URL: database.url, PORT: String(port), LOG_LEVEL: 'debug' }));
    const fatal = exit.lines.find((line) => line.includes('could not start'));
    assert.equal(exit.code, 1);
    assert.match(fatal ?? '', /"stack":".*at /);
  });

  test('the healer\'s port is in use', async () => {
    const env = { MC_HEALER_TOKEN: 'mc_healer_token_for_a_start_test', MC_HEALER_SECRET: testHealerSecret, MC_HEALER_STATE: path.join(scratch, 'healer-state.json') };
    const exit = await withPortTaken((port) => runUntilExit('server/healer/main.ts', { ...env, HEALER_PORT: String(port) }));
    assertOneLine(exit, /the healer could not start: port \d+ on 127\.0\.0\.1 is in use by another process: stop it, or set HEALER_PORT to a free port/);
  });
});


test('a runner run as root warns once at start of a template whose cwd its agents cannot enter', { skip: process.getuid?.() === 0 ? false : 'agents run as a user of their own only when the runner runs as root' }, async () => {
  const closed = mkdtempSync(path.join(tmpdir(), 'mc-closed-checkout-'));
  after(() => rmSync(closed, { recursive: true, force: true }));
  const config = path.join(scratch, 'closed.json');
  writeFileSync(config, JSON.stringify({ templates: { closed: { command: 'node', args: ['agent.js'], cwd: closed } } }));
  // The runner `npm start` runs beside the hub logs on the hub's terminal.
  const hub = await startHubProcess({ DATABASE_URL: database.url, MC_CONFIG: config, MC_RUNNER: 'on', MC_DATA_DIR: path.join(scratch, 'closed-data') });
  await hub.waitForLog((l) => l.name === 'runner' && String(l.msg).includes('registered'));
  await hub.stop();
  const warnings = hub.logs.filter((l) => l.level === 40 && String(l.msg).includes('template "closed"'));
  assert.equal(warnings.length, 1);
  assert.match(String(warnings[0]!.msg), new RegExp(`template "closed" cannot start as the user mc-agent \\(uid \\d+\\): it may not enter ${closed} \\(mode 0700, owner uid 0\\): .*chmod o\\+x ${closed}.*runner\\.runAs`));
});

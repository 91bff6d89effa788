import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { runProcess } from '../helpers/child-process.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
// A PATH with nothing on it: docker-compose is missing, as on a machine that never installed it.
const emptyPath = mkdtempSync(path.join(tmpdir(), 'mc-empty-path-'));
after(() => rmSync(emptyPath, { recursive: true, force: true }));

/** Runs the compose tests as their own test run, on a machine without docker-compose. */
function composeTestsWithout(env: Record<string, string>) {
  return runProcess(process.execPath, ['--import', 'tsx', '--test', 'tests/integration/compose.test.ts'], { cwd: root, env: { HOME: process.env.HOME, PATH: emptyPath, ...env } });
}

test('outside CI, tests whose tool is missing skip and say why', async () => {
  const run = await composeTestsWithout({});
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /# SKIP docker-compose is not installed/);
  assert.match(run.stdout, /^# fail 0$/m);
});

test('in CI (CI=true) the same missing tool fails the run, naming what is missing', async () => {
  const run = await composeTestsWithout({ CI: 'true' });
  assert.notEqual(run.code, 0, run.stdout);
  assert.match(run.stdout + run.stderr, /CI=true, where no test may skip: docker-compose is not installed/);
});

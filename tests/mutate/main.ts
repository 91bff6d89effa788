import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Mutation, mutations, staleMutations } from './mutations.ts';

// Mutation testing: each mutation is applied alone to a copy of the tree and the test files that
// cover it run against the copy; a mutant the tests let through "survives". The working tree is
// never written, so an interrupted run leaves nothing behind but a temporary directory it removes.
// Arguments filter the list: a mutation runs when its file or name contains any of them.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const perMutantMs = Number(process.env.MUTATE_TIMEOUT_SECONDS ?? 600) * 1000;
const skipped = new Set(['node_modules', '.git', '.mission-control', 'dist']);

const filters = process.argv.slice(2);
const chosen = mutations.filter((m) => filters.length === 0 || filters.some((f) => m.file.includes(f) || m.name.includes(f)));

const copy = mkdtempSync(path.join(tmpdir(), 'mc-mutate-'));
// Readable like a checkout, so the tests whose agents run as a user of their own can reach it.
chmodSync(copy, 0o755);
let running: ChildProcess | undefined;

function cleanUp(): void {
  if (running?.pid !== undefined) {
    try {
      process.kill(-running.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(copy, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanUp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

/** Runs the test files in the copy: the tests that failed (none: they passed), or a timeout when they outlast the bound. */
function failingTests(files: readonly string[]): Promise<string[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-timeout=120000', ...files], {
      cwd: copy,
      env: process.env,
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    });
    running = child;
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, perMutantMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      running = undefined;
      // TAP names every failing test and the suites around it; the innermost lines come first.
      const failed = [...out.matchAll(/^\s*not ok \d+ - (.*)$/gm)].map((m) => m[1]!);
      if (timedOut) resolve([`timed out after ${perMutantMs / 1000} s`]);
      else resolve(code === 0 ? [] : failed.length > 0 ? failed : [`exit code ${code}`]);
    });
  });
}

async function main(): Promise<number> {
  const stale = staleMutations(chosen);
  if (stale.length > 0) {
    console.error(`mutations that no longer match the code (fix tests/mutate/mutations.ts):\n  ${stale.join('\n  ')}`);
    return 2;
  }
  if (chosen.length === 0) {
    console.error(`no mutation matches ${filters.join(', ')}`);
    return 2;
  }
  cpSync(root, copy, { recursive: true, filter: (from) => !skipped.has(path.basename(from)) });
  symlinkSync(realpathSync(path.join(root, 'node_modules')), path.join(copy, 'node_modules'));

  const covering = [...new Set(chosen.flatMap((m) => m.tests))];
  console.log(`baseline: ${covering.length} test files on the unmutated copy`);
  const baseline = await failingTests(covering);
  if (baseline.length > 0) {
    console.error(`the covering tests fail without any mutation (fix them first: a failing suite kills every mutant):\n  ${baseline.join('\n  ')}`);
    return 2;
  }

  const survivors: Mutation[] = [];
  for (const [i, m] of chosen.entries()) {
    const target = path.join(copy, m.file);
    const original = readFileSync(target, 'utf8');
    writeFileSync(target, original.replace(m.find, m.replace));
    const started = Date.now();
    try {
      const failed = await failingTests(m.tests);
      if (failed.length === 0) survivors.push(m);
      const seconds = Math.round((Date.now() - started) / 1000);
      const by = failed.length > 0 ? `, by "${failed[0]}"` : '';
      console.log(`${String(i + 1).padStart(3)}/${chosen.length} ${failed.length === 0 ? 'SURVIVED' : 'killed  '} ${m.file}: ${m.name} (${seconds} s${by})`);
    } finally {
      writeFileSync(target, original);
    }
  }
  const killed = chosen.length - survivors.length;
  console.log(`\nmutation score: ${killed}/${chosen.length} killed (${((100 * killed) / chosen.length).toFixed(1)}%)`);
  for (const m of survivors) console.log(`  survived: ${m.file}: ${m.name}`);
  return survivors.length === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} finally {
  cleanUp();
}

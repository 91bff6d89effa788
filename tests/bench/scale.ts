import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { HubClient } from '../../server/client/hub-client.ts';
import { runProcess } from '../helpers/child-process.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Resident memory of a process, in bytes (VmRSS). */
export function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) * 1024;
}

export interface ColdReplay {
  events: number;
  seconds: number;
  /** The hub's resident memory before the replay, and its highest while it ran. */
  rssBefore: number;
  rssPeak: number;
}

/** A cold client reads the whole log from seq 0 through the SDK, while the hub's memory is sampled every 50 ms. */
export async function runColdReplay(hubUrl: string, token: string, hubPid: number, head: number, timeoutMs: number): Promise<ColdReplay> {
  const rssBefore = rssOf(hubPid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssOf(hubPid))), 50);
  const start = performance.now();
  let events = 0;
  try {
    const hub = new HubClient({ url: hubUrl, token });
    for await (const event of hub.events.subscribe({ after: 0, signal: AbortSignal.timeout(timeoutMs) })) {
      events += 1;
      if (event.seq >= head) break;
    }
  } finally {
    clearInterval(sampler);
  }
  return { events, seconds: (performance.now() - start) / 1000, rssBefore, rssPeak };
}

export interface RebuildRun {
  events: number;
  seconds: number;
  /** The progress lines it printed, as a user sees them. */
  progressLines: number;
}

/** `npm run rebuild` as an operator runs it, on the bench's database with the hub's config and secrets (`configEnv`); timed to its exit (with a CPU profile into `profileDir`, if given). */
export async function runRebuild(databaseUrl: string, configEnv: Record<string, string>, profileDir?: string): Promise<RebuildRun> {
  const start = performance.now();
  // Profiled, the command npm runs is run directly: node refuses --cpu-prof in NODE_OPTIONS.
  const [command, args] = profileDir ? [process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--import', 'tsx', 'server/main.ts', 'rebuild']] : ['npm', ['run', '--silent', 'rebuild']];
  const run = await runProcess(command, args, {
    cwd: root,
    env: { ...process.env, ...configEnv, DATABASE_URL: databaseUrl, MC_HEALER: 'off', MC_RUNNER: 'off', LOG_LEVEL: 'info' },
  });
  const seconds = (performance.now() - start) / 1000;
  if (run.code !== 0) throw new Error(`npm run rebuild exited ${run.code}: ${(run.stderr || run.stdout).slice(-300)}`);
  const done = run.stdout.match(/rebuilt every view from (\d+) events/);
  return { events: Number(done?.[1] ?? 0), seconds, progressLines: (run.stdout.match(/"msg":"rebuild: /g) ?? []).length };
}

export interface LogFootprint {
  events: number;
  /** Bytes per event of the table (with its TOAST) and of each index. */
  tableBytesPerEvent: number;
  indexBytesPerEvent: Record<string, number>;
}

/** What the log takes on disk, per event: the table and each of its indexes. */
export async function logFootprint(databaseUrl: string): Promise<LogFootprint> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE events');
    const events = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
    const table = Number((await client.query<{ b: string }>("SELECT pg_table_size('events') AS b")).rows[0]!.b);
    const { rows } = await client.query<{ name: string; b: string }>(
      "SELECT indexrelid::regclass::text AS name, pg_relation_size(indexrelid) AS b FROM pg_index WHERE indrelid = 'events'::regclass ORDER BY 2 DESC",
    );
    return { events, tableBytesPerEvent: table / events, indexBytesPerEvent: Object.fromEntries(rows.map((r) => [r.name, Number(r.b) / events])) };
  } finally {
    await client.end();
  }
}

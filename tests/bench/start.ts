import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHubProcess } from './hub-process.ts';

export interface StartTimes {
  firstMs: number;
  restartMs: number;
}

/**
 * Time from spawning `server/main.ts` on the embedded PostgreSQL until it logs that it listens:
 * once on an empty data directory (initdb, migrations, the first admin token), then again on
 * the data that start kept. Each hub is stopped before the next starts.
 */
export async function runStartRestart(): Promise<StartTimes> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-bench-start-'));
  const timedStart = async () => {
    const started = performance.now();
    const hub = await startHubProcess({ databaseUrl: '', env: { MC_DATA_DIR: dir, MC_ADMIN_TOKEN: '' }, startTimeoutMs: 120_000 });
    const tookMs = performance.now() - started;
    const code = await hub.stop();
    if (code !== 0) throw new Error(`the hub exited with ${code} when stopped`);
    return tookMs;
  };
  try {
    const firstMs = await timedStart();
    const restartMs = await timedStart();
    return { firstMs, restartMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

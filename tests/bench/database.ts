import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../server/db/embedded.ts';

export interface BenchDatabase {
  /** The fresh `mc_bench_<random>` database. */
  url: string;
  name: string;
  source: 'DATABASE_URL' | 'embedded';
  serverVersion: string;
  /** Drops the database (and stops the embedded server, if this bench started one). */
  drop(): Promise<void>;
}

/**
 * A fresh database for one bench run: `mc_bench_<random>` on the server in `DATABASE_URL`,
 * else on an embedded PostgreSQL started in a temp dir (and stopped at the end).
 */
export async function benchDatabase(serverUrl: string | undefined): Promise<BenchDatabase> {
  if (serverUrl) return freshDatabaseOn(serverUrl, 'DATABASE_URL', async () => undefined);
  const dir = mkdtempSync(path.join(tmpdir(), 'mc-bench-pg-'));
  const embedded = await startEmbeddedPostgres(dir, () => undefined);
  return freshDatabaseOn(embedded.url, 'embedded', async () => {
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  });
}

async function freshDatabaseOn(serverUrl: string, source: BenchDatabase['source'], stopServer: () => Promise<void>): Promise<BenchDatabase> {
  const name = `mc_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  let serverVersion: string;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
    serverVersion = rows[0]?.server_version ?? 'unknown';
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    source,
    serverVersion,
    async drop() {
      if (dropped) return;
      dropped = true;
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
      await stopServer();
    },
  };
}

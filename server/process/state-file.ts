import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { backoffDelay, sleep } from '../client/backoff.ts';

/** Reads a JSON state file: `fresh()` when there is none yet; `check` throws on a file that is not such a state. */
export async function readJsonState<T>(file: string, fresh: () => T, check: (parsed: unknown) => T): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fresh();
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON (${(error as Error).message}); move it away to start from the beginning of the log`);
  }
  return check(parsed);
}

/** Replaces a state file atomically (mode 0600): a reader (or a crash) sees the old file or the new one, never half of one. */
export async function writeJsonState(file: string, state: unknown): Promise<void> {
  const text = `${JSON.stringify(state, null, 2)}\n`;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  // Only the service's user reads it: it may sit beside secrets.
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

/** A service's state in memory and its file: changes are applied whole, writes are serialized and coalesced. */
export class StateStore<T> {
  readonly file: string;
  state: T;
  private queued: Promise<void> | undefined;
  private last: Promise<void> = Promise.resolve();

  constructor(file: string, state: T) {
    this.file = file;
    this.state = state;
  }

  /** Applies a change to the state in memory, synchronously, so no other change interleaves with it. */
  update(change: (state: T) => T): T {
    this.state = change(this.state);
    return this.state;
  }

  /** Saves, trying again with backoff until the disk takes it; only `signal` ends the attempts. */
  async saveSurely(signal: AbortSignal, onError: (error: unknown, failures: number) => void): Promise<void> {
    for (let failures = 1; ; failures++) {
      try {
        return await this.save();
      } catch (error) {
        onError(error, failures);
        await sleep(backoffDelay(failures, { baseMs: 500, maxMs: 30_000 }), signal);
      }
    }
  }

  /** Resolves once a write that began after this call (so holding every change made before it) is on disk. */
  save(): Promise<void> {
    if (this.queued) return this.queued;
    const write = this.last
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return writeJsonState(this.file, this.state);
      });
    this.queued = write;
    this.last = write;
    return write;
  }
}

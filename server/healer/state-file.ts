import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { backoffDelay, sleep } from '../client/backoff.ts';
import { type HealerState, emptyState } from './state.ts';

/** Reads the state file: a fresh state when there is none yet; throws on a file that is not a healer state. */
export async function readStateFile(file: string): Promise<HealerState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw error;
  }
  let parsed: Partial<HealerState>;
  try {
    parsed = JSON.parse(text) as Partial<HealerState>;
  } catch (error) {
    throw new Error(`${file} is not JSON (${(error as Error).message}); move it away to start from the beginning of the log`);
  }
  if (parsed?.version !== 1 || typeof parsed.cursor !== 'number' || !Array.isArray(parsed.outbox) || !['string', 'undefined'].includes(typeof parsed.logId)) {
    throw new Error(`${file} is not a healer state file (version 1 with a cursor, an optional logId and an outbox)`);
  }
  return { ...emptyState(), ...parsed } as HealerState;
}

/** Replaces the state file atomically (mode 0600): a reader (or a crash) sees the old file or the new one, never half of one. */
export async function writeStateFile(file: string, state: HealerState): Promise<void> {
  const text = `${JSON.stringify(state, null, 2)}\n`;
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  // Only the healer's user reads it: it sits beside the secrets in the data directory.
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

/** The state in memory and its file: changes are applied whole, writes are serialized and coalesced. */
export class HealerStateStore {
  readonly file: string;
  state: HealerState;
  private queued: Promise<void> | undefined;
  private last: Promise<void> = Promise.resolve();

  private constructor(file: string, state: HealerState) {
    this.file = file;
    this.state = state;
  }

  /** Loads the file (or starts fresh when there is none) and writes it back, so a bad path fails now. */
  static async open(file: string): Promise<HealerStateStore> {
    const store = new HealerStateStore(file, await readStateFile(file));
    await store.save();
    return store;
  }

  /** Applies a change to the state in memory, synchronously, so no other change interleaves with it. */
  update(change: (state: HealerState) => HealerState): HealerState {
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
        return writeStateFile(this.file, this.state);
      });
    this.queued = write;
    this.last = write;
    return write;
  }
}

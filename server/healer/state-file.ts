import { StateStore, readJsonState, writeJsonState } from '../process/state-file.ts';
import { type HealerState, emptyState } from './state.ts';

/** Reads the state file: a fresh state when there is none yet; throws on a file that is not a healer state. */
export function readStateFile(file: string): Promise<HealerState> {
  return readJsonState(file, emptyState, (parsed) => {
    const state = parsed as Partial<HealerState> | null;
    if (state?.version !== 1 || typeof state.cursor !== 'number' || !Array.isArray(state.outbox) || !['string', 'undefined'].includes(typeof state.logId)) {
      throw new Error(`${file} is not a healer state file (version 1 with a cursor, an optional logId and an outbox)`);
    }
    return { ...emptyState(), ...state } as HealerState;
  });
}

/** Replaces the state file atomically (mode 0600). */
export const writeStateFile: (file: string, state: HealerState) => Promise<void> = writeJsonState;

/** The healer's state in memory and its file. */
export class HealerStateStore extends StateStore<HealerState> {
  /** Loads the file (or starts fresh when there is none) and writes it back, so a bad path fails now. */
  static async open(file: string): Promise<HealerStateStore> {
    const store = new HealerStateStore(file, await readStateFile(file));
    await store.save();
    return store;
  }
}

import { StateStore, readJsonState } from '../process/state-file.ts';
import type { OutputOffsets } from './output.ts';
import type { Worktree } from './workspace.ts';

/** One agent the runner started and has not yet reported ended: enough to adopt it again after a restart. */
export interface KeptAgent {
  name: string;
  template: string;
  /** The shim that waits for it, and the agent itself (its process group); null when it never started. */
  shimPid: number;
  pid: number | null;
  /** Its own directory (its HOME, and its working directory when the template names none). */
  ownDir: string;
  startedAt: string;
  stdin: 'none' | 'messages';
  /** How far into each output file the log has every line. */
  delivered: OutputOffsets;
  /** Who asked to stop it, once someone has: its end is then an exit, not a failure. */
  stoppedBy?: string;
  timedOut?: boolean;
  /** Its git worktree, when its template names a workspace, and the last commit on it reported. */
  worktree?: Worktree;
  lastCommit?: string;
}

/** An ended agent's worktree, removed once its retention has passed (its branch stays). */
export interface EndedWorktree {
  path: string;
  clone: string;
  removeAt: string;
}

/** What a runner keeps across its restarts. */
export interface RunnerState {
  version: 1;
  /** Where its poll for work goes on from. */
  cursor: number;
  agents: Record<string, KeptAgent>;
  endedWorktrees?: EndedWorktree[];
}

const fresh = (): RunnerState => ({ version: 1, cursor: 0, agents: {}, endedWorktrees: [] });

/** The runner's state file, made fresh when there is none; throws on a file that is not one. */
export async function openRunnerState(file: string): Promise<StateStore<RunnerState>> {
  const state = await readJsonState(file, fresh, (parsed) => {
    const state = parsed as Partial<RunnerState> | null;
    if (state?.version !== 1 || typeof state.cursor !== 'number' || typeof state.agents !== 'object' || state.agents === null) {
      throw new Error(`${file} is not a runner state file (version 1 with a cursor and agents)`);
    }
    return state as RunnerState;
  });
  const store = new StateStore(file, state);
  await store.save();
  return store;
}

import type { RunnerStatus } from '../../contracts/vocabulary.ts';

/** A runner as the rules see it: one row of the runners view. */
export interface Runner {
  id: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  capacity: number;
  /** The templates its own configuration allows. */
  templates: readonly string[];
  status: RunnerStatus;
  registeredAt: string;
  lastSeq: number;
}

/** What a runner says of itself when it registers (`POST /runners`). */
export interface RunnerRegistration {
  name: string;
  labels: Record<string, string>;
  capacity: number;
  templates: string[];
  /** The agents it runs now (started and not ended), so the hub knows which of its lost agents still live. */
  agents: string[];
}

/** A runner and how many agents hold a place on it. */
export interface RunnerLoad {
  runner: Runner;
  load: number;
}

/** A runner's id, fixed by its token: one token, one runner, and the token says which. */
export function runnerIdOf(tokenId: string): string {
  return `rnr_${tokenId.replace(/^tok_/, '')}`;
}

/** The runner's API view. */
export type { RunnerView } from '../../contracts/views.ts';

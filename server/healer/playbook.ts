import type { HealAction } from '../../contracts/vocabulary.ts';

/** Which failures a playbook answers; every field that is set must match. */
export interface PlaybookMatch {
  /** The failure event's type (default `agent.failed`). */
  type: string;
  /** A regular expression tested against `data.error` and `data.stderrTail`, joined by newlines. */
  errorPattern?: string;
  /** The failed process's exit code (`data.code`). */
  exitCode?: number;
  /** The template the failed agent was spawned from. */
  template?: string;
}

/** A known failure and its remedy, with a bounded number of attempts per lineage. */
export interface HealerPlaybook {
  name: string;
  match: PlaybookMatch;
  action: HealAction;
  maxAttempts: number;
  /** The wait before attempt 1; it doubles with every further attempt. */
  backoffMs: number;
}

/** The healer's section of the config file, with its defaults applied. */
export interface HealerConfig {
  playbooks: HealerPlaybook[];
  /** Failure types watched besides `agent.failed` (and those the playbooks name). */
  watchTypes: string[];
  /** How long a lineage may go without a failure before it counts as healed and is forgotten. */
  forgetAfterMs: number;
}

export const playbookDefaults = { type: 'agent.failed', maxAttempts: 3, backoffMs: 1000 } as const;

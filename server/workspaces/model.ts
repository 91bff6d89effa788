import type { EventEnvelope } from '../../contracts/index.ts';

/** What the log says of an agent's workspace: its commits, how it finished, and its last merge request and what came of it. */
export interface WorkspaceRecord {
  commits: EventEnvelope[];
  finished: EventEnvelope | undefined;
  /** The last `workspace.merge_requested`, the status of its decision, and whether the runner has reported its outcome. */
  lastMerge: { request: EventEnvelope; decision: string | undefined; outcome: 'merged' | 'merge_failed' | undefined } | undefined;
}

/** The merge modes, as a template's workspace names them. */
export type MergeMode = 'fast-forward' | 'merge-commit';

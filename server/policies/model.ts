import type { HubConfigurationFile } from '../../contracts/index.ts';
import type { Risk } from '../../contracts/vocabulary.ts';

/** A rule as the config file (or a learned `policy.rule_added`) writes it. */
export type PolicyRule = NonNullable<NonNullable<HubConfigurationFile['policies']>['rules']>[number];

/** What a rule decides: at once (allow, deny), the agent's own prompt (ask), or a risk tier. */
export type Verdict = PolicyRule['verdict'];

/** A tool call to judge: what it is, and whose. */
export interface ToolCall {
  tool: string;
  /** The tool's input as the agent gave it (`{command}` for Bash, `{file_path, ...}` for Edit). */
  input: Record<string, unknown>;
  agent?: { id: string; name: string; template: string | null; projectId: string };
  /** The session's working directory: paths outside it are outside the workspace. */
  cwd?: string;
  /** The risk the agent declared, where it declares one. */
  risk?: Risk;
}

export type { PolicyVerdict } from '../../contracts/views.ts';

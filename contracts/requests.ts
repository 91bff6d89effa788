// Generated from contracts/requests/*.schema.json by `npm run contracts`.
// Do not edit: change the schema, then run the command (a unit test fails while the two differ).

/**
 * The answers the asker offers.
 *
 * @minItems 1
 * @maxItems 16
 */
export type Options = string[];
/**
 * Free labels for filtering; may be empty.
 *
 * @maxItems 32
 */
export type Labels = string[];

/**
 * The optional body of POST /agents/{id}/heartbeat.
 */
export interface AgentHeartbeat {
  /**
   * A human-readable name, used when this heartbeat registers an agent the hub did not start.
   */
  name?: string;
}
/**
 * What an operator POSTs to /budgets/correct to set the spend of an agent, a task, or the whole hub for one UTC day.
 */
export interface BudgetSpendCorrection {
  /**
   * Which budget: one agent, one task, or the whole hub for a day.
   */
  scope: "agent" | "task" | "global";
  /**
   * The agent or task id (required for those scopes); for global, the UTC date YYYY-MM-DD (default: today).
   */
  scopeId?: string;
  /**
   * The spend from now on, in US dollars (0 resets it).
   */
  spentUsd: number;
  /**
   * Why, for the audit trail.
   */
  reason: string;
}
/**
 * What an operator POSTs to /budgets to set the spending limit of an agent, a task, or the whole hub for one UTC day.
 */
export interface BudgetLimit {
  /**
   * Which budget: one agent, one task, or the whole hub for a day.
   */
  scope: "agent" | "task" | "global";
  /**
   * The agent or task id (required for those scopes); for global, the UTC date YYYY-MM-DD (default: today).
   */
  scopeId?: string;
  /**
   * The new limit, in US dollars.
   */
  limitUsd: number;
}
/**
 * The optional body of POST /decisions/{id}/cancel, which withdraws a pending decision.
 */
export interface DecisionCancel {
  /**
   * Why it was withdrawn.
   */
  reason?: string;
}
/**
 * What an agent, the healer or an operator POSTs to /decisions to ask a human.
 */
export interface DecisionRequest {
  /**
   * The project it belongs to (one of the configured `projects`, or `default`); its agent's or task's, when it names one.
   */
  projectId?: string;
  /**
   * The question, in one line.
   */
  title: string;
  /**
   * What the human needs to know to answer (Markdown).
   */
  context?: string;
  options?: Options;
  /**
   * Risk tier: low is approved by policy, medium and high need one operator, red needs two different operators.
   */
  risk: "low" | "medium" | "high" | "red";
  /**
   * Seconds until the deadline (at most 30 days); the config's decisions.defaultExpiresInSec when unset.
   */
  expiresInSec?: number;
  /**
   * What the hub does at the deadline.
   */
  onTimeout?: "deny" | "approve" | "escalate";
  /**
   * An id: 1 to 128 characters, starting with a letter or digit, then letters, digits and `_ . : @ / -` (never whitespace or control characters), and not a name every JavaScript object inherits (`toString`, `constructor`, `__proto__`, ...).
   */
  taskId?: string;
  /**
   * An id: 1 to 128 characters, starting with a letter or digit, then letters, digits and `_ . : @ / -` (never whitespace or control characters), and not a name every JavaScript object inherits (`toString`, `constructor`, `__proto__`, ...).
   */
  agentId?: string;
}
/**
 * What an operator POSTs to /decisions/{id}/resolve to answer a decision.
 */
export interface DecisionResolution {
  /**
   * The answer: `approve`, `deny` or one of the options.
   */
  outcome: string;
  /**
   * The answerer's comment.
   */
  comment?: string;
  /**
   * With an approval of a tool call: allow the same call from now on, for the asking agent, its project or everyone (a `policy.rule_added` follows).
   */
  allowFromNow?: "agent" | "project" | "everyone";
}
/**
 * What an operator POSTs to /inject: a message for a running agent.
 */
export interface InjectRequest {
  /**
   * An id: 1 to 128 characters, starting with a letter or digit, then letters, digits and `_ . : @ / -` (never whitespace or control characters), and not a name every JavaScript object inherits (`toString`, `constructor`, `__proto__`, ...).
   */
  agentId: string;
  message: string;
}
/**
 * The optional body of POST /agents/{id}/merge.
 */
export interface MergeRequest {
  /**
   * Why, shown with the decision.
   */
  reason?: string;
}
/**
 * The optional body of POST /agents/{id}/pause, /agents/{id}/resume, /pause-all and /resume-all.
 */
export interface PauseOrResumeRequest {
  /**
   * Why, in the operator's words; logged with the event.
   */
  reason?: string;
}
/**
 * What POST /policies/check judges: a tool call, as a hook or an MCP client would send it.
 */
export interface PolicyCheck {
  /**
   * The tool's name (`Bash`, `Edit`, `mcp__github__create_pr`).
   */
  tool: string;
  /**
   * The tool's input as the agent would give it.
   */
  input?: {};
  /**
   * Short for `input.command`.
   */
  command?: string;
  /**
   * Short for `input.file_path`.
   */
  path?: string;
  /**
   * The working directory: paths outside it are outside the workspace.
   */
  cwd?: string;
  /**
   * An id: 1 to 128 characters, starting with a letter or digit, then letters, digits and `_ . : @ / -` (never whitespace or control characters), and not a name every JavaScript object inherits (`toString`, `constructor`, `__proto__`, ...).
   */
  agentId?: string;
  /**
   * The risk the agent declares.
   */
  risk?: "low" | "medium" | "high" | "red";
}
/**
 * What a runner POSTs to /runners when it starts, and again whenever the hub has marked it offline.
 */
export interface RunnerRegistration {
  /**
   * Its name on GET /runners.
   */
  name: string;
  /**
   * What it offers: `os` and `arch`, and any from its configuration.
   */
  labels: {
    [k: string]: string;
  };
  /**
   * How many agents it runs at once.
   */
  capacity: number;
  /**
   * The templates its own configuration allows it to run.
   *
   * @maxItems 1000
   */
  templates: string[];
  /**
   * The agents it runs now (started, not ended): a lost one among them is live again; one placed on it and missing here has ended.
   *
   * @maxItems 10000
   */
  agents: string[];
}
/**
 * What an operator POSTs to /spawn: a configured template by name, or `respawnOf` alone: a failed agent the hub started, to start again from its own spawn request (the one spawn the healer may make). The command, its arguments and its environment come only from the template.
 */
export interface SpawnRequest {
  template?: string;
  /**
   * An id: 1 to 128 characters, starting with a letter or digit, then letters, digits and `_ . : @ / -` (never whitespace or control characters), and not a name every JavaScript object inherits (`toString`, `constructor`, `__proto__`, ...).
   */
  respawnOf?: string;
  name?: string;
  /**
   * An id: 1 to 128 characters, starting with a letter or digit, then letters, digits and `_ . : @ / -` (never whitespace or control characters), and not a name every JavaScript object inherits (`toString`, `constructor`, `__proto__`, ...).
   */
  taskId?: string;
  /**
   * Any JSON value, handed to the agent as MC_AGENT_INPUT.
   */
  input?: unknown;
  /**
   * This agent's spending limit, over the template's and the default.
   */
  budgetUsd?: number;
}
/**
 * The optional body of POST /agents/{id}/stop.
 */
export interface StopRequest {
  /**
   * Why the agent is stopped, for the audit trail.
   */
  reason?: string;
}
/**
 * What a client POSTs to /tasks to add a task to the board.
 */
export interface TaskCreateRequest {
  /**
   * The project it belongs to (one of the configured `projects`, or `default`).
   */
  projectId?: string;
  /**
   * Short title of the task.
   */
  title: string;
  /**
   * How urgent the task is.
   */
  priority?: "low" | "normal" | "high" | "urgent";
  labels?: Labels;
  /**
   * Longer description of the task (Markdown).
   */
  description?: string;
  /**
   * An id: 1 to 128 characters, starting with a letter or digit, then letters, digits and `_ . : @ / -` (never whitespace or control characters), and not a name every JavaScript object inherits (`toString`, `constructor`, `__proto__`, ...).
   */
  agentId?: string;
}
/**
 * What a client POSTs to /tasks/{id}/transition to move a task on the board, optionally handing it to an agent with the move.
 */
export interface TaskTransitionRequest {
  /**
   * State after the move.
   */
  to: "todo" | "in_progress" | "review" | "done" | "blocked" | "cancelled";
  /**
   * Why the task moved.
   */
  reason?: string;
  /**
   * An id: 1 to 128 characters, starting with a letter or digit, then letters, digits and `_ . : @ / -` (never whitespace or control characters), and not a name every JavaScript object inherits (`toString`, `constructor`, `__proto__`, ...).
   */
  agentId?: string;
}
/**
 * What an admin POSTs to /tokens to mint a bearer token.
 */
export interface TokenRequest {
  role: "admin" | "operator" | "agent" | "healer" | "viewer" | "runner" | "coder";
  /**
   * An id: 1 to 128 characters, starting with a letter or digit, then letters, digits and `_ . : @ / -` (never whitespace or control characters), and not a name every JavaScript object inherits (`toString`, `constructor`, `__proto__`, ...).
   */
  agentId?: string;
  /**
   * Scopes an operator or viewer token to one project: it sees and acts only there.
   */
  projectId?: string;
  /**
   * The person of the config file's `people` the token belongs to (admin, operator and viewer tokens): notifications reach them, and their answers count as theirs wherever they give them.
   */
  person?: string;
  name?: string;
  /**
   * Seconds until the token expires (at most ten years); without it the token never expires.
   */
  expiresInSec?: number;
}
/**
 * What an admin POSTs to /webhooks to have the events of some types delivered to a URL.
 */
export interface WebhookSubscription {
  /**
   * The http or https URL each event is POSTed to.
   */
  url: string;
  /**
   * The event types delivered.
   *
   * @minItems 1
   * @maxItems 100
   */
  types: string[];
  /**
   * What the subscription is for, for the admins who read the list.
   */
  description?: string;
}

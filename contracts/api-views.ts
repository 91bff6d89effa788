// Generated from the view schemas of contracts/openapi.yaml by `npm run contracts`.
// Do not edit: change the schema, then run the command (a unit test fails while the two differ).

/**
 * One agent as the agents view shows it.
 */
export interface AgentView {
  /**
   * The agent's id.
   */
  id: string;
  /**
   * Human-readable name (given at spawn or registration, else derived from the template and id).
   */
  name: string;
  /**
   * The template it was spawned from; null for an agent that registered itself.
   */
  template: string | null;
  /**
   * `spawning` (spawn requested), `running` (spawned, registered, resumed or
   * recovered), `awaiting_decision` (asked a decision above `low` risk that is still
   * open), `paused`, `stale` (not heard from for `agents.staleAfterMs`), `exited` and
   * `failed` (final, until a respawn).
   *
   */
  status: "spawning" | "running" | "awaiting_decision" | "paused" | "stale" | "lost" | "exited" | "failed";
  /**
   * When the hub last heard from it (its last heartbeat or its last event, whichever is later; its creation before either).
   */
  lastSeenAt: string;
  /**
   * What its completed runs cost, in US dollars.
   */
  spentUsd: number;
  /**
   * Its spending limit in US dollars (its own, else the configured `budgets.agentUsd`).
   */
  budgetUsd: number;
  /**
   * The open decision it waits on, or null.
   */
  pendingDecisionId: string | null;
  /**
   * The task it works on, or null.
   */
  taskId: string | null;
  /**
   * Why it is paused (null unless `status` is `paused`).
   */
  pausedReason: "operator" | "budget" | "decision" | "pause_all" | "healer" | null;
  /**
   * The runner it is placed on; null while it waits for one, and for an agent that registered itself.
   */
  runnerId: string | null;
  /**
   * The project it belongs to (`default` unless the configuration names projects).
   */
  projectId: string;
  /**
   * Only on `GET /agents/{id}` of an agent that waits for a runner, why none has taken it yet (e.g. no runner has the labels its template's `runsOn` asks for).
   */
  waitingFor?: string;
}
/**
 * One task as the board shows it.
 */
export interface TaskView {
  /**
   * The project it belongs to (`default` unless the configuration names projects).
   */
  projectId: string;
  /**
   * The task's id.
   */
  id: string;
  title: string;
  /**
   * Longer description (Markdown), or null.
   */
  description: string | null;
  priority: "low" | "normal" | "high" | "urgent";
  labels: string[];
  /**
   * Where the task is on the board; `done` and `cancelled` are final.
   */
  status: "todo" | "in_progress" | "review" | "done" | "blocked" | "cancelled";
  /**
   * The agent the task is assigned to, or null.
   */
  agentId: string | null;
  /**
   * Why the task is blocked (the move's `reason`, or the loop the hub detected); null unless `blocked`.
   */
  blockedReason: string | null;
  createdAt: string;
  /**
   * When its last event was recorded.
   */
  updatedAt: string;
}
/**
 * One decision as the inbox shows it.
 */
export interface DecisionView {
  /**
   * The project it belongs to (`default` unless the configuration names projects).
   */
  projectId: string;
  /**
   * The decision's id.
   */
  id: string;
  /**
   * The question, in one line.
   */
  title: string;
  /**
   * What the human needs to know to answer (Markdown); may be empty.
   */
  context: string;
  /**
   * The answers the asker offers (`[approve, deny]` by default). `approve` and `deny` are always accepted as well.
   */
  options: string[];
  /**
   * `low`: approved by policy; `medium`, `high`: one operator; `red`: two different operators.
   */
  risk: "low" | "medium" | "high" | "red";
  status: "pending" | "resolved" | "expired" | "cancelled";
  /**
   * The answer (`approve`, `deny` or one of the options); for an expired decision, what
   * `onTimeout` gave (`deny`, `approve`, or `escalated`); null while pending or when
   * cancelled.
   *
   */
  outcome: string | null;
  /**
   * The approvals so far, in order (a `red` decision needs two, by different operators).
   */
  approvals: {
    /**
     * Who approved (an actor such as `operator:<tokenId>`, `person:<name>` for a one-tap link, or `policy`).
     */
    by: string;
    at: string;
    /**
     * The person behind `by`, when the token or link belongs to one.
     */
    person?: string;
  }[];
  /**
   * Who resolved it (`policy` for `low` risk) or cancelled it; null while pending or when expired.
   */
  resolvedBy: string | null;
  /**
   * The resolver's comment, or the reason of a cancellation.
   */
  comment: string | null;
  /**
   * The deadline; when it passes unanswered, `onTimeout` applies.
   */
  expiresAt: string;
  onTimeout: "deny" | "approve" | "escalate";
  /**
   * The agent the decision is for (the asker, for an agent token), or null.
   */
  agentId: string | null;
  /**
   * The task it is about, or null.
   */
  taskId: string | null;
  /**
   * The actor that asked (`agent:<id>`, `healer`, `<role>:<tokenId>`, or `hub` for an escalation).
   */
  requestedBy: string;
  createdAt: string;
  /**
   * When it was resolved, expired or cancelled; null while pending.
   */
  resolvedAt: string | null;
  /**
   * The decision opened in its place when it expired with `onTimeout` `escalate`, or null.
   */
  escalatedTo: string | null;
  /**
   * For a coding agent's tool call (`Bash`, `Edit`...), the tool; an approval may then allow the same call from now on (`allowFromNow`). Null otherwise.
   */
  tool: string | null;
}
/**
 * One budget's spend and limit.
 */
export interface BudgetView {
  /**
   * Whose spending it caps.
   */
  scope: "agent" | "task" | "global";
  /**
   * The agent id, the task id, or for `global` the UTC date `YYYY-MM-DD`.
   */
  scopeId: string;
  /**
   * The cost of the completed runs it counts, in US dollars.
   */
  spentUsd: number;
  /**
   * The limit that applies (its own, else the configured default for the scope).
   */
  limitUsd: number;
  /**
   * A `budget.warning` was logged for the current limit (spend reached `budgets.warnAt` of it).
   */
  warned: boolean;
  /**
   * A `budget.exceeded` was logged and nothing lifted it since.
   */
  exceeded: boolean;
  /**
   * An operator resumed the agent past its limit; runs go on until the limit changes.
   */
  overridden: boolean;
}
/**
 * One runner as the runners view shows it.
 */
export interface RunnerView {
  /**
   * The runner's id, fixed by its token.
   */
  id: string;
  /**
   * Its name (its host's, unless configured).
   */
  name: string;
  /**
   * `offline` once it was not heard from for `runners.offlineAfterMs`; it is online again when it registers.
   */
  status: "online" | "offline";
  /**
   * What it offers, matched against a template's `runsOn`.
   */
  labels: {
    [k: string]: string;
  };
  /**
   * How many agents it runs at once.
   */
  capacity: number;
  /**
   * Agents placed on it (assigned and not ended).
   */
  load: number;
  /**
   * The templates its own configuration allows.
   */
  templates: string[];
  /**
   * When it last registered.
   */
  registeredAt: string;
  /**
   * When it last asked for work.
   */
  lastSeenAt: string | null;
}
/**
 * A token as an admin sees it; never its secret or the secret's hash.
 */
export interface Token {
  /**
   * The token's public id (recorded in `actor` as `<role>:<id>` for admin and operator tokens).
   */
  id: string;
  role: "admin" | "operator" | "agent" | "healer" | "viewer" | "runner" | "coder";
  /**
   * The agent an agent token speaks for; null for the other roles.
   */
  agentId: string | null;
  name: string | null;
  createdAt: string;
  /**
   * When it expires; null when it never does.
   */
  expiresAt: string | null;
  /**
   * When it was revoked; null while it is not.
   */
  revokedAt: string | null;
  /**
   * When a hub last looked it up (hubs cache a token for `auth.cacheMs`); null when never.
   */
  lastUsedAt: string | null;
  /**
   * The one project it sees and acts in; null for every project.
   */
  projectId: string | null;
  /**
   * The person of the config file it belongs to; null when none.
   */
  person: string | null;
}
/**
 * A webhook as an admin sees it; never its secret.
 */
export interface Webhook {
  /**
   * `whk_...` for an admin's webhook; `cp_<person>.<channel>` for a contact point, which the resume and deliveries routes take too.
   */
  id: string;
  /**
   * Where each event is POSTed (a contact point's only up to its host, or `mailto:` and the address).
   */
  url: string;
  /**
   * The event types delivered (`decision.*`, `agent.failed`, `x.*`).
   */
  types: string[];
  description: string | null;
  createdAt: string;
  /**
   * When deliveries stopped until an admin resumes them; null while they flow.
   */
  pausedAt: string | null;
  /**
   * Why (a 410, or too many failures in a row); null while not paused.
   */
  pausedReason: string | null;
  /**
   * Failed attempts in a row; a delivered one resets it.
   */
  consecutiveFailures: number;
  /**
   * When it was deleted; null while it is not.
   */
  deletedAt: string | null;
}
/**
 * One event on its way to one webhook.
 */
export interface WebhookDelivery {
  /**
   * The `webhook-id` header of its every attempt.
   */
  id: string;
  eventId: string;
  eventType: string;
  /**
   * The event's position in the log.
   */
  seq: number;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  /**
   * The receiver's HTTP status at the last attempt; null when it did not answer (or before any attempt).
   */
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  lastDurationMs: number | null;
  /**
   * When a pending delivery is tried next; null once delivered or failed.
   */
  nextAttemptAt: string | null;
}
/**
 * The people of the config file, each with their contact points; never a secret URL whole.
 */
export interface People {
  people: {
    /**
     * The person's name in the config file's `people`.
     */
    name: string;
    /**
     * One per channel configured for them (email, slack, ntfy, webhook, in that order); empty when none is.
     */
    contactPoints: {
      channel: "email" | "slack" | "ntfy" | "webhook";
      /**
       * The receiver's id in the outbox, for the `/webhooks/{id}` routes.
       */
      id: string;
      /**
       * Where it is sent: for email the address as configured, else only the origin of the URL followed by `/…` (a Slack URL is itself a secret).
       */
      address: string;
      /**
       * When deliveries stopped until an admin resumes them; null while they flow.
       */
      pausedAt: string | null;
      /**
       * Why (a 410, or too many failures in a row); null while not paused.
       */
      pausedReason: string | null;
      /**
       * Failed attempts in a row; a delivered one resets it.
       */
      consecutiveFailures: number;
    }[];
  }[];
}
/**
 * The policy rules in the order they are checked, the first that matches deciding.
 */
export interface PolicyRules {
  rules: {
    /**
     * Named in every verdict the rule gives; a learned rule is `from-<decisionId>`, after the approval that added it.
     */
    name: string;
    /**
     * An operator's "allow from now on", the config file, or the set the hub ships with.
     */
    source: "learned" | "config" | "shipped";
    /**
     * allow or deny at once; ask: the agent's own local prompt; low: approved by policy and logged; medium and high: a decision one operator answers; red: two.
     */
    verdict: "allow" | "deny" | "ask" | "low" | "medium" | "high" | "red";
    match: PolicyMatch;
    /**
     * Why, as a verdict of the rule gives it; null when the rule has none.
     */
    message: string | null;
  }[];
}
/**
 * What the rule applies to; every field given must hold. Empty or unset: every tool call.
 */
export interface PolicyMatch {
  /**
   * An agent, by id or name.
   */
  agent?: string;
  /**
   * The template the agent was spawned from.
   */
  template?: string;
  /**
   * The agent's project.
   */
  project?: string;
  /**
   * A regular expression the whole tool name must match (`Bash`, `Edit|Write`, `mcp__.*`).
   */
  tool?: string;
  /**
   * A regular expression found in the command (Bash), case-insensitive.
   */
  command?: string;
  /**
   * A regular expression found in the file path the tool touches, case-insensitive.
   */
  path?: string;
  /**
   * True: only a file path outside the session's working directory.
   */
  outsideWorkspace?: boolean;
  /**
   * The risks the agent declared (check_policy, POST /policies/check).
   *
   * @minItems 1
   */
  risk?: ("low" | "medium" | "high" | "red")[];
}
/**
 * What needs a person and how the fleet is, at one moment (`generatedAt`, the database's
 * clock), read from the views in one snapshot. Of one project when `project` is set.
 *
 */
export interface Overview {
  /**
   * The moment every figure is of (the database's clock).
   */
  generatedAt: string;
  /**
   * The one project the figures are of; null for every project.
   */
  project: string | null;
  /**
   * The decisions waiting for a person.
   */
  decisions: {
    /**
     * Every pending decision.
     */
    pending: number;
    /**
     * Pending decisions by risk (`low` ones are approved at once, so that one is 0 unless a decision is being settled).
     */
    byRisk: {
      low: number;
      medium: number;
      high: number;
      red: number;
    };
    /**
     * When the oldest pending decision was asked; null when none waits.
     */
    oldestPendingAt: string | null;
  };
  /**
   * The fleet by status, and the agents that need a look.
   */
  agents: {
    /**
     * Every agent the view knows, whatever its status (ended ones included).
     */
    total: number;
    /**
     * Agents `running`.
     */
    running: number;
    /**
     * Agents `awaiting_decision`: blocked on a pending decision.
     */
    waiting: number;
    /**
     * Agents `paused`, for any reason.
     */
    paused: number;
    /**
     * Agents `stale` (silent for `agents.staleAfterMs`).
     */
    stale: number;
    /**
     * Agents `lost` (their runner went offline while they ran).
     */
    lost: number;
    /**
     * Agents whose `agent.failed` put them in `failed` within the last hour.
     */
    failedLastHour: number;
    /**
     * Up to 10 agents that need a look: failed within the last hour (newest first), then
     * waiting on a decision, lost, stale (longest first).
     *
     *
     * @maxItems 10
     */
    attention: OverviewAgent[];
  };
  /**
   * The whole hub's spend per UTC day against the daily limit (`budgets.globalDailyUsd`, or
   * the day's own limit). Hub-wide even with `?project=`, since the daily budget is; null to
   * a token scoped to a project, which may not read the budgets.
   *
   */
  spend: OverviewSpend | null;
  /**
   * How many events the log recorded (of the project, when one is set).
   */
  events: {
    lastMinute: number;
    lastHour: number;
  };
  /**
   * The newest failures and heals, newest first.
   */
  recent: {
    /**
     * The last 10 `agent.failed` events.
     *
     * @maxItems 10
     */
    failures: OverviewFailure[];
    /**
     * The last 10 `heal.completed` and `heal.escalated` events.
     *
     * @maxItems 10
     */
    heals: OverviewHeal[];
  };
}
/**
 * An agent that needs a look, and why.
 */
export interface OverviewAgent {
  id: string;
  name: string;
  status: "failed" | "awaiting_decision" | "lost" | "stale";
  /**
   * Why it is listed: the failure's error, the decision it waits on, or how long it has been silent.
   */
  reason: string;
  /**
   * When the event that gave it this status was recorded.
   */
  since: string | null;
  /**
   * The pending decision it waits on (only `awaiting_decision`).
   */
  decisionId: string | null;
}
/**
 * The hub's spend per UTC day against its daily limit.
 */
export interface OverviewSpend {
  /**
   * What runs completed today (UTC) cost, in US dollars.
   */
  todayUsd: number;
  /**
   * Today's limit (its own, else `budgets.globalDailyUsd`).
   */
  dailyLimitUsd: number;
  /**
   * The last seven UTC days, oldest first, today last; a day with no spend is 0.
   *
   * @minItems 7
   * @maxItems 7
   */
  lastDays: {
    /**
     * The UTC date, `YYYY-MM-DD`.
     */
    day: string;
    usd: number;
  }[];
}
/**
 * One `agent.failed` event.
 */
export interface OverviewFailure {
  seq: number;
  id: string;
  agentId: string | null;
  /**
   * The agent's name; null when the agents view does not know it.
   */
  agentName: string | null;
  error: string;
  recordedAt: string;
}
/**
 * One `heal.completed` or `heal.escalated` event.
 */
export interface OverviewHeal {
  seq: number;
  id: string;
  type: "heal.completed" | "heal.escalated";
  agentId: string | null;
  agentName: string | null;
  failureEventId: string;
  playbook: string | null;
  /**
   * What a completed heal did (`respawn`, `resume`, `retry_task`).
   */
  action: string | null;
  /**
   * Why an escalated heal gave up.
   */
  reason: string | null;
  /**
   * The decision an escalation opened.
   */
  decisionId: string | null;
  recordedAt: string;
}
/**
 * What happened from `since` until `until` (the database's clock when it was read), and
 * what waits at `until`; read in one snapshot. Of one project when `project` is set.
 *
 */
export interface Brief {
  /**
   * Where the brief starts.
   */
  since: string;
  /**
   * The moment it was read, where it ends.
   */
  until: string;
  /**
   * The one project it is of; null for every project.
   */
  project: string | null;
  /**
   * The tasks moved to `done` in the window, newest first.
   *
   * @maxItems 100
   */
  done: BriefTask[];
  /**
   * The failures logged in the window (`agent.failed`, `tool.failed`, `workspace.merge_failed`), newest first.
   *
   * @maxItems 100
   */
  failed: BriefFailure[];
  /**
   * The decisions resolved or expired in the window, newest first.
   *
   * @maxItems 100
   */
  decided: BriefDecision[];
  /**
   * What the runs completed in the window cost (`run.completed`'s `costUsd`; spend corrections are not runs and are left out).
   */
  cost: {
    /**
     * Every run's cost, in US dollars.
     */
    usd: number;
    /**
     * How many runs completed.
     */
    runs: number;
    /**
     * Per agent, the costliest first.
     *
     * @maxItems 100
     */
    byAgent: BriefAgentCost[];
  };
  /**
   * What waits for a person now, whatever `since` is.
   */
  waiting: {
    /**
     * The pending decisions, oldest first.
     *
     * @maxItems 100
     */
    decisions: BriefPendingDecision[];
    /**
     * The blocked tasks, blocked longest first.
     *
     * @maxItems 100
     */
    blockedTasks: BriefBlockedTask[];
  };
  /**
   * The lists cut at 100 entries, by their path in the brief; empty when every list is whole.
   */
  truncated: ("done" | "failed" | "decided" | "cost.byAgent" | "waiting.decisions" | "waiting.blockedTasks")[];
}
/**
 * A task moved to `done`.
 */
export interface BriefTask {
  id: string;
  title: string;
  /**
   * The agent it was assigned to.
   */
  agentId: string | null;
  /**
   * That agent's name; null when the agents view does not know it.
   */
  agentName: string | null;
  /**
   * The actor who moved it to `done`.
   */
  by: string;
  at: string;
}
/**
 * One failure event.
 */
export interface BriefFailure {
  seq: number;
  /**
   * The event's id (`GET /events/{id}` reads it whole).
   */
  id: string;
  type: "agent.failed" | "tool.failed" | "workspace.merge_failed";
  agentId: string | null;
  agentName: string | null;
  taskId: string | null;
  /**
   * The tool that failed (`tool.failed` only).
   */
  tool: string | null;
  /**
   * The error (a merge's reason), cut to 1,000 characters.
   */
  error: string;
  at: string;
}
/**
 * A decision resolved or expired.
 */
export interface BriefDecision {
  id: string;
  title: string;
  risk: "low" | "medium" | "high" | "red";
  status: "resolved" | "expired";
  /**
   * The answer (`approve`, `deny`, an option), or what the deadline applied.
   */
  outcome: string;
  /**
   * Who answered (`operator:<token>`, `policy`...); null when it expired.
   */
  by: string | null;
  /**
   * The person behind `by`, when the token or link belongs to one.
   */
  person: string | null;
  agentId: string | null;
  taskId: string | null;
  at: string;
}
/**
 * What one agent's completed runs cost.
 */
export interface BriefAgentCost {
  agentId: string | null;
  agentName: string | null;
  usd: number;
  runs: number;
}
/**
 * A decision waiting for an answer.
 */
export interface BriefPendingDecision {
  id: string;
  title: string;
  risk: "low" | "medium" | "high" | "red";
  agentId: string | null;
  taskId: string | null;
  askedAt: string;
  expiresAt: string;
}
/**
 * A blocked task.
 */
export interface BriefBlockedTask {
  id: string;
  title: string;
  agentId: string | null;
  /**
   * Why it was blocked.
   */
  reason: string | null;
  /**
   * When it was blocked (its last change).
   */
  since: string;
}

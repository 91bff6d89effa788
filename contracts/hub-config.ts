// Generated from contracts/config/hub-config.schema.json by `npm run contracts`.
// Do not edit: change the schema, then run the command (a unit test fails while the two differ).

/**
 * The file named by MC_CONFIG (YAML or JSON). Every field is optional; unset fields keep their defaults.
 */
export interface HubConfigurationFile {
  /**
   * Sizes of what a request may carry.
   */
  limits?: {
    /**
     * Largest request body, in bytes.
     */
    bodyBytes?: number;
    /**
     * Largest `data` of one event, in bytes of JSON.
     */
    eventDataBytes?: number;
  };
  /**
   * Requests per second, per token and per client address.
   */
  rateLimits?: {
    /**
     * Sustained requests per second per token.
     */
    perTokenPerSecond?: number;
    /**
     * Requests a token may save up and send at once.
     */
    perTokenBurst?: number;
    /**
     * Sustained requests per second per client address, whatever the token.
     */
    perAddressPerSecond?: number;
    /**
     * Requests an address may save up and send at once.
     */
    perAddressBurst?: number;
  };
  /**
   * Time limits of HTTP requests.
   */
  http?: {
    /**
     * Time a client has to send its request headers.
     */
    headersTimeoutMs?: number;
    /**
     * Time a client has to send its whole request.
     */
    requestTimeoutMs?: number;
    /**
     * On shutdown, how long requests in flight may take before their connections are cut.
     */
    drainMs?: number;
  };
  /**
   * Token checks.
   */
  auth?: {
    /**
     * How long a verified token is trusted before it is looked up again.
     */
    cacheMs?: number;
  };
  /**
   * How appends share transactions.
   */
  groupCommit?: {
    /**
     * Most events in one append transaction.
     */
    maxEvents?: number;
    /**
     * Append transactions open at once; they commit one at a time.
     */
    maxInFlight?: number;
  };
  /**
   * Server-Sent Events and JSON pages of the log.
   */
  stream?: {
    /**
     * Sent as `retry:` so browsers reconnect after this many ms.
     */
    retryMs?: number;
    /**
     * A comment line keeps an idle stream open this often.
     */
    heartbeatMs?: number;
    /**
     * Events read from the log per replay batch.
     */
    replayPageSize?: number;
    /**
     * Most bytes of events (their envelopes) one read takes (a replay batch, a JSON page, a live read); it stops after the event that reaches them.
     */
    pageBytes?: number;
    /**
     * Bytes that may wait in one subscriber's socket buffer; past it the subscriber is cut off.
     */
    maxBufferedBytes?: number;
    /**
     * Live events held while a replay runs; past it they are dropped and read from the log instead.
     */
    maxHeldEvents?: number;
    /**
     * Poll interval while the LISTEN connection is down.
     */
    pollMs?: number;
    /**
     * Safety poll while it is up.
     */
    idlePollMs?: number;
    /**
     * Open SSE streams and decision waits, together, one token may hold at once on one hub.
     */
    maxStreamsPerToken?: number;
  };
  /**
   * The hub's own clockwork.
   */
  timers?: {
    /**
     * How often the timers (stale agents, decision deadlines, loops) look for due work.
     */
    tickMs?: number;
    /**
     * How often the retention job looks for aged events to archive (see `retention`).
     */
    retentionEveryMs?: number;
  };
  /**
   * Agent liveness.
   */
  agents?: {
    /**
     * An agent without a heartbeat or event for this long becomes stale.
     */
    staleAfterMs?: number;
  };
  /**
   * Defaults of a decision that names none.
   */
  decisions?: {
    /**
     * Deadline of a decision that names none, in seconds.
     */
    defaultExpiresInSec?: number;
    /**
     * What a decision that names none does at its deadline.
     */
    defaultOnTimeout?: "deny" | "approve" | "escalate";
  };
  /**
   * Default spending limits.
   */
  budgets?: {
    /**
     * Default limit of one agent, in USD; a spawn may override it.
     */
    agentUsd?: number;
    /**
     * Default limit of one task, in USD.
     */
    taskUsd?: number;
    /**
     * Default limit of the whole hub per UTC day, in USD.
     */
    globalDailyUsd?: number;
    /**
     * Fraction of a limit at which `budget.warning` is logged once.
     */
    warnAt?: number;
  };
  /**
   * Loop detection.
   */
  loops?: {
    /**
     * The same failure from one agent this many times within the window blocks its task.
     */
    sameFailureCount?: number;
    /**
     * A task handed between two agents this many times within the window is blocked.
     */
    handoffCount?: number;
    /**
     * The window both counts look back over.
     */
    windowMs?: number;
  };
  /**
   * Agent templates by name: the only commands /spawn may run. When given, they replace the built-in `sample` template instead of adding to it.
   */
  templates?: {
    [k: string]: AgentTemplate;
  };
  /**
   * How a runner starts and watches agents: output limits and the stop grace period.
   */
  spawn?: {
    /**
     * Sustained output lines per second logged per agent; the rest is counted and dropped.
     */
    linesPerSecond?: number;
    /**
     * Output lines an agent may save up and log at once.
     */
    burst?: number;
    /**
     * Longer output lines are cut and marked truncated; the hub never holds more of one line than 65536 characters
     */
    maxLineChars?: number;
    /**
     * Lines of stderr kept for `agent.failed`.
     */
    stderrTail?: number;
    /**
     * How long a stopped agent has after SIGTERM before it gets SIGKILL.
     */
    stopGraceMs?: number;
  };
  /**
   * The healer's section (playbooks, watchTypes, forgetAfterMs); the healer checks it with server/healer/config.schema.json.
   */
  healer?: {};
  /**
   * How the hub watches its runners.
   */
  runners?: {
    /**
     * A runner not heard from for this long is offline, and its running agents lost.
     */
    offlineAfterMs?: number;
    /**
     * The longest the hub holds a runner's poll for work open; below offlineAfterMs.
     */
    maxPollWaitMs?: number;
  };
  /**
   * How the hub delivers events to the outbound webhooks admins subscribe (POST /webhooks).
   */
  webhooks?: {
    /**
     * How often the delivery worker looks for new events and due retries when nothing wakes it.
     */
    pollMs?: number;
    /**
     * How long one delivery may take before it counts as failed.
     */
    timeoutMs?: number;
    /**
     * The longest wait before a failed delivery is tried again (the waits grow from 1 s, with full jitter).
     */
    maxBackoffMs?: number;
    /**
     * Attempts after which a delivery is given up (status failed) until an admin retries it.
     */
    maxAttempts?: number;
    /**
     * Failed deliveries in a row after which a webhook is paused until an admin resumes it.
     */
    pauseAfterFailures?: number;
  };
  /**
   * The runner service (server/runner): what it advertises and what it may run.
   */
  runner?: {
    /**
     * Its name on GET /runners; the host name by default.
     */
    name?: string;
    /**
     * Labels it advertises beside os and arch, e.g. {"gpu": "true"}.
     */
    labels?: {
      [k: string]: string;
    };
    /**
     * How many agents it runs at once.
     */
    capacity?: number;
    /**
     * The templates of this file it may run (`*`: all of them, the default). An assignment for any other is refused.
     */
    templates?: string[];
    /**
     * The system user agents run as when the runner runs as root; made if missing.
     */
    runAs?: string;
    /**
     * How long the runner asks the hub to hold its poll for work open when there is none.
     */
    pollWaitMs?: number;
    /**
     * Where the runner keeps its clones of workspace repositories and its agents' worktrees (outside its state; <tmp>/mc-workspaces by default).
     */
    workspacesDir?: string;
    /**
     * How long an ended agent's worktree is kept before it is removed (a day); its branch is kept.
     */
    worktreeRetentionSec?: number;
  };
  /**
   * Projects by id: each groups a workspace repository with its agents, tasks and decisions. Unset: one project, `default`, which always exists.
   */
  projects?: {
    [k: string]: {
      description?: string;
      /**
       * The project's repository, as its templates' workspaces name it.
       */
      repo?: string;
    };
  };
  /**
   * What coding agents may do: rules checked in order, the first that matches decides (see Coding agents).
   */
  policies?: {
    /**
     * Checked before the shipped rules.
     *
     * @maxItems 1000
     */
    rules?: {
      /**
       * Named in every verdict the rule gives, in the log and in answers.
       */
      name: string;
      /**
       * What the rule applies to; every field given must hold. Empty or unset: every tool call.
       */
      match?: {
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
      };
      /**
       * allow or deny at once; ask: the agent's own local prompt; low: approved by policy and logged; medium and high: a decision one operator answers; red: two.
       */
      verdict: "allow" | "deny" | "ask" | "low" | "medium" | "high" | "red";
      /**
       * Why: the reason a denial gives the agent, and the decision's context.
       */
      message?: string;
    }[];
    /**
     * False: the shipped rules are not checked after yours (then a call no rule matches is high).
     */
    shipped?: boolean;
  };
  /**
   * Coding agents that reach the hub through their hooks (Claude Code).
   */
  codingAgents?: {
    /**
     * How long a tool call waits on its decision; keep it below the hook's own timeout (`mc setup` writes 600 s).
     */
    decisionWaitSec?: number;
    /**
     * Longer texts of a hook (a command, a file's content, a tool's output) are logged cut to this many characters, with a marker.
     */
    textChars?: number;
    /**
     * The largest hook body taken (a Write of a big file): a hook refused for its size would let the tool run unchecked, so this is above `limits.bodyBytes`.
     */
    hookBodyBytes?: number;
  };
  /**
   * The people the hub may tell, by name, each with their contact points. A token minted with `person` belongs to one; routes name them. No contact point: never told outside the dashboard.
   */
  people?: {
    [k: string]: {
      /**
       * An email address (sent over `notifications.smtp`).
       */
      email?: string;
      /**
       * A Slack incoming-webhook URL (https://hooks.slack.com/services/...). It is a secret: the hub never shows it whole.
       */
      slack?: string;
      /**
       * An ntfy topic URL (https://ntfy.sh/<topic>).
       */
      ntfy?: string;
      /**
       * Any URL: the event and its one-tap links, signed with Standard Webhooks (the secret is `MC_NOTIFY_WEBHOOK_SECRET`).
       */
      webhook?: string;
    };
  };
  /**
   * Who is told of what, on which channel (see Notifications). Quiet by default: with no route, nothing is sent.
   */
  notifications?: {
    /**
     * The hub's address as people reach it (https://mc.example.com): notifications link there. Empty: the address the hub listens on.
     */
    publicUrl?: string;
    /**
     * Checked in order for each event; the first whose `match` holds decides who is told. A route with no steps tells no one.
     *
     * @maxItems 1000
     */
    routes?: {
      /**
       * Named in the log's reminders and in start-up errors.
       */
      name?: string;
      /**
       * Every field given must hold. Empty or unset: every event of `types`.
       */
      match?: {
        /**
         * Event types (`agent.failed`, `heal.*`). Unset: `decision.requested`, a question waiting for a person.
         *
         * @minItems 1
         * @maxItems 100
         */
        types?: string[];
        /**
         * The decision's risk (other events: `agent.failed`, `heal.escalated`, `budget.exceeded` and `hub.loop_detected` count as high, the rest as medium).
         *
         * @minItems 1
         */
        risk?: ("low" | "medium" | "high" | "red")[];
        /**
         * The project, by id.
         */
        project?: string;
        /**
         * The agent, by id or name.
         */
        agent?: string;
        /**
         * The template the agent was spawned from.
         */
        template?: string;
      };
      /**
       * Who is told, step by step: the first step at once, each later one after its `after` if the question still waits (the same people again is a reminder, new people an escalation).
       *
       * @maxItems 20
       */
      notify: {
        /**
         * How long after the question, such as `90s`, `10m` or `2h`.
         */
        after?: string;
        /**
         * People of `people`, by name.
         *
         * @minItems 1
         * @maxItems 100
         */
        people: string[];
        /**
         * Their contact points to use; a person without one of them is told on the others.
         *
         * @minItems 1
         */
        channels: ("email" | "slack" | "ntfy" | "webhook")[];
      }[];
      /**
       * When the question is settled, tell the people told of it who settled it and how (the dashboard always shows it at once).
       */
      followUp?: boolean;
    }[];
    /**
     * The mail server that sends email. Its password is `MC_SMTP_PASSWORD`, never in this file.
     */
    smtp?: {
      host: string;
      /**
       * Unset: 465 with `secure`, else 587.
       */
      port?: number;
      /**
       * TLS from the start (port 465); otherwise STARTTLS when the server offers it.
       */
      secure?: boolean;
      user?: string;
      /**
       * The sender, such as `Mission Control <mc@example.com>`.
       */
      from: string;
    };
    /**
     * How long one notification may take to send before it counts as failed and is tried again.
     */
    timeoutMs?: number;
  };
  /**
   * How long events of high-volume types stay in the hot log before they move into compressed archives (`event_archives`), which `GET /events?archived=include` still reads. Keys are a type or a prefix ending in `*` of the types no view is built from (`agent.output`, `tool.*`, `session.*`, `x.*`); values an age such as `36h` or `14d`. Unset: every event stays in the log.
   */
  retention?: {
    /**
     * An age: hours (`36h`) or days (`14d`).
     */
    [k: string]: string;
  };
}
/**
 * A kind of agent the hub may start: the only commands /spawn can ever run.
 */
export interface AgentTemplate {
  description?: string;
  command: string;
  args?: string[];
  cwd?: string;
  env?: {
    [k: string]: string;
  };
  /**
   * The agent's spending limit; a spawn request may override it.
   */
  budgetUsd?: number;
  /**
   * Stopped (SIGTERM, then SIGKILL) and logged as failed after this long.
   */
  timeoutSec?: number;
  /**
   * `messages`: injected messages also arrive on stdin, one JSON line each.
   */
  stdin?: "none" | "messages";
  /**
   * Labels a runner must advertise (each equal) to be given this template, e.g. {"os": "linux", "gpu": "true"}.
   */
  runsOn?: {
    [k: string]: string;
  };
  /**
   * Resource limits of the agent's process (setrlimit through prlimit, where the platform has it): its address space, its CPU time, its open files.
   */
  limits?: {
    /**
     * Address space in MiB (RLIMIT_AS): an allocation past it fails.
     */
    memoryMb?: number;
    /**
     * CPU time in seconds (RLIMIT_CPU): past it the process gets SIGXCPU, then SIGKILL.
     */
    cpuSeconds?: number;
    /**
     * Open file descriptors (RLIMIT_NOFILE).
     */
    openFiles?: number;
  };
  /**
   * A git repository each agent works in: the runner makes it a fresh worktree on its own branch, mc/<agent name>.
   */
  workspace?: {
    /**
     * A path or URL the runner can reach (git clone).
     */
    repo: string;
    /**
     * The branch the agent starts from and merges into (main).
     */
    base?: string;
    /**
     * How an approved merge is applied (fast-forward): a fast-forward refuses a base that has moved on; a merge commit refuses a conflict. Neither is ever forced.
     */
    merge?: "fast-forward" | "merge-commit";
    /**
     * The risk of the decision a merge asks (high).
     */
    mergeRisk?: "low" | "medium" | "high" | "red";
  };
  /**
   * The project its agents belong to (`default`); it must be one of `projects`.
   */
  project?: string;
}

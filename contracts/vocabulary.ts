// The hub's closed sets of words, each defined here once: the hub's rules, the client, the CLI,
// the dashboard and the healer import them, and a unit test holds the JSON Schemas' enums to them.

/** Who may call the hub. */
export const Role = { admin: 'admin', operator: 'operator', agent: 'agent', healer: 'healer', viewer: 'viewer', runner: 'runner', coder: 'coder' } as const;
export type Role = (typeof Role)[keyof typeof Role];
export const roles: readonly Role[] = Object.values(Role);

/**
 * Where an agent is in its life. spawning waits for a runner to start it; lost: its runner went
 * offline while it ran. exited and failed are final, until a respawn.
 */
export const AgentStatus = {
  spawning: 'spawning',
  running: 'running',
  awaitingDecision: 'awaiting_decision',
  paused: 'paused',
  stale: 'stale',
  lost: 'lost',
  exited: 'exited',
  failed: 'failed',
} as const;
export type AgentStatus = (typeof AgentStatus)[keyof typeof AgentStatus];
export const agentStatuses: readonly AgentStatus[] = Object.values(AgentStatus);

/** The agents a pause reaches: alive or maybe alive (stale), and not paused already. */
export const pausableStatuses: readonly AgentStatus[] = ['spawning', 'running', 'awaiting_decision', 'stale', 'lost'];

/** The agents expected to be heard from: those that go stale when silent. */
export const liveStatuses: readonly AgentStatus[] = ['running', 'awaiting_decision'];

/** The agents whose process reads injected messages: started, and not ended. */
export const injectableStatuses: readonly AgentStatus[] = ['running', 'awaiting_decision', 'paused'];

/** The agents that hold a place on their runner: assigned and not ended. */
export const placedStatuses: readonly AgentStatus[] = ['spawning', 'running', 'awaiting_decision', 'paused', 'stale', 'lost'];

/** Whether a runner is heard from. */
export const RunnerStatus = { online: 'online', offline: 'offline' } as const;
export type RunnerStatus = (typeof RunnerStatus)[keyof typeof RunnerStatus];
export const runnerStatuses: readonly RunnerStatus[] = Object.values(RunnerStatus);

/** Why an agent is paused (the `reason` of `agent.paused` and `agent.resumed`). */
export const PauseReason = { operator: 'operator', budget: 'budget', decision: 'decision', pauseAll: 'pause_all', healer: 'healer' } as const;
export type PauseReason = (typeof PauseReason)[keyof typeof PauseReason];
export const pauseReasons: readonly PauseReason[] = Object.values(PauseReason);

/** Where a task is on the board; done and cancelled are final. */
export const TaskStatus = { todo: 'todo', inProgress: 'in_progress', review: 'review', done: 'done', blocked: 'blocked', cancelled: 'cancelled' } as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];
export const taskStatuses: readonly TaskStatus[] = Object.values(TaskStatus);

/** The tasks still worked on: not final, and not blocked already (the tasks a loop can block). */
export const workingTaskStatuses: readonly TaskStatus[] = ['todo', 'in_progress', 'review'];

export const TaskPriority = { low: 'low', normal: 'normal', high: 'high', urgent: 'urgent' } as const;
export type TaskPriority = (typeof TaskPriority)[keyof typeof TaskPriority];
export const taskPriorities: readonly TaskPriority[] = Object.values(TaskPriority);

/** Risk tiers: `low` is approved by policy, `medium` and `high` need one operator, `red` two different ones. */
export const Risk = { low: 'low', medium: 'medium', high: 'high', red: 'red' } as const;
export type Risk = (typeof Risk)[keyof typeof Risk];
export const risks: readonly Risk[] = Object.values(Risk);

export const DecisionStatus = { pending: 'pending', resolved: 'resolved', expired: 'expired', cancelled: 'cancelled' } as const;
export type DecisionStatus = (typeof DecisionStatus)[keyof typeof DecisionStatus];
export const decisionStatuses: readonly DecisionStatus[] = Object.values(DecisionStatus);

/** What the hub does when a decision's deadline passes unanswered. */
export const OnTimeout = { deny: 'deny', approve: 'approve', escalate: 'escalate' } as const;
export type OnTimeout = (typeof OnTimeout)[keyof typeof OnTimeout];
export const onTimeouts: readonly OnTimeout[] = Object.values(OnTimeout);

/** What the healer can do about a failure (a playbook's `action`), always through the hub's API. */
export const HealAction = { respawn: 'respawn', resume: 'resume', retryTask: 'retry_task' } as const;
export type HealAction = (typeof HealAction)[keyof typeof HealAction];
export const healActions: readonly HealAction[] = Object.values(HealAction);

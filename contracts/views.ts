// The hub's views as the API answers them: one definition for the hub, the client, the CLI and
// the dashboard. The agent, task, decision, budget and token views are generated from the
// contract's schemas (api-views.ts), the request bodies from theirs (requests.ts).

import type { DecisionView, Token } from './api-views.ts';

export type { AgentView, BudgetView, DecisionView, RunnerView, TaskView } from './api-views.ts';
export type { Overview, OverviewAgent, OverviewFailure, OverviewHeal, OverviewSpend } from './api-views.ts';
export type { Brief, BriefAgentCost, BriefBlockedTask, BriefDecision, BriefFailure, BriefPendingDecision, BriefTask } from './api-views.ts';
export type { DecisionRequest, TokenRequest } from './requests.ts';

/** A token as `GET /tokens` lists it: never its secret. */
export type TokenView = Token;

/** Who approved, and when. */
export type Approval = DecisionView['approvals'][number];

import type { Role, TaskStatus } from './vocabulary.ts';

/** The board's columns, left to right: blocked sits by the work it holds up, before the final states. */
export const taskBoardOrder: readonly TaskStatus[] = ['todo', 'in_progress', 'review', 'blocked', 'done', 'cancelled'];

/** The task board's state machine: every legal move, whoever makes it. done and cancelled are final. */
export const taskTransitions: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  todo: ['in_progress', 'blocked', 'cancelled'],
  in_progress: ['review', 'blocked', 'cancelled'],
  review: ['done', 'in_progress', 'blocked', 'cancelled'],
  blocked: ['todo', 'in_progress', 'cancelled'],
  done: [],
  cancelled: [],
};

/** Who an event's `actor` is, for people to read (`GET /actors`); agents are named by their view. */
export interface ActorView {
  /** As events carry it: `operator:tok_...`, `admin:tok_...`, `viewer:tok_...`, `person:<name>` (a one-tap link), `healer`, `hub`. */
  actor: string;
  /** The person the token belongs to, else the token's name; unnamed, its role and a short id. */
  name: string;
  role: string;
}

/** A project as `GET /projects` lists it: `default`, then the configured ones. */
export interface ProjectView {
  id: string;
  description: string | null;
  /** The workspace repository its agents work in; null when none is configured. */
  repo: string | null;
}

/** What the policy says of a tool call (`POST /policies/check`, and the `policy` of `tool.requested`). */
export interface PolicyVerdict {
  /** The rule that matched (`unmatched` when none did). */
  rule: string;
  /** allow or deny at once; ask: the agent's own prompt; low: approved by policy; medium, high, red: a decision. */
  verdict: 'allow' | 'deny' | 'ask' | 'low' | 'medium' | 'high' | 'red';
  reason: string;
  /** Where the rule comes from: the config file, the shipped set, an operator's "allow from now on", or none matched. */
  source: 'config' | 'shipped' | 'learned' | 'fallback';
}

/** The caller behind a token (`GET /whoami`). */
export interface WhoAmI {
  role: Role;
  agentId: string | null;
  actor: string;
  tokenId: string;
  /** The token's name; unnamed, its role and a short id. */
  name: string;
  /** The one project a scoped token sees and acts in; null for every project. */
  projectId: string | null;
}


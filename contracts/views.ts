// The hub's views as the API answers them: one definition for the hub, the client, the CLI and
// the dashboard (contracts/openapi.yaml describes the same shapes). Request bodies are generated
// from their schemas (requests.ts).

export type { DecisionRequest, TokenRequest } from './requests.ts';

import type { AgentStatus, DecisionStatus, OnTimeout, PauseReason, Risk, Role, TaskPriority, TaskStatus } from './vocabulary.ts';

/** An agent (`GET /agents`, `/agents/:id`). */
export interface AgentView {
  id: string;
  name: string;
  template: string | null;
  status: AgentStatus;
  lastSeenAt: string | null;
  spentUsd: number;
  budgetUsd: number;
  pendingDecisionId: string | null;
  taskId: string | null;
  pausedReason: PauseReason | null;
}

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

/** A task (`GET /tasks`, `/tasks/:id`). */
export interface TaskView {
  id: string;
  title: string;
  description: string | null;
  priority: TaskPriority;
  labels: string[];
  status: TaskStatus;
  agentId: string | null;
  blockedReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Who approved, and when. */
export interface Approval {
  by: string;
  at: string;
}

/** A decision (`GET /decisions/:id`, `/wait`, the inbox). */
export interface DecisionView {
  id: string;
  title: string;
  context: string;
  options: string[];
  risk: Risk;
  status: DecisionStatus;
  /** `approve`, `deny`, one of the options, or `escalated` when the deadline handed it on; null while pending. */
  outcome: string | null;
  approvals: Approval[];
  resolvedBy: string | null;
  comment: string | null;
  expiresAt: string;
  onTimeout: OnTimeout;
  agentId: string | null;
  taskId: string | null;
  requestedBy: string;
  createdAt: string;
  resolvedAt: string | null;
  /** The decision opened in this one's place when it expired with `onTimeout: escalate`. */
  escalatedTo: string | null;
}

/** Who an event's `actor` is, for people to read (`GET /actors`); agents are named by their view. */
export interface ActorView {
  /** As events carry it: `operator:tok_...`, `admin:tok_...`, `viewer:tok_...`, `healer`, `hub`. */
  actor: string;
  /** The token's name; unnamed, its role and a short id. */
  name: string;
  role: string;
}

/** A token as `GET /tokens` shows it: everything but the secret, which is never stored, and its hash. */
export interface TokenView {
  id: string;
  role: string;
  agentId: string | null;
  name: string | null;
  createdAt: string;
  /** Null: it never expires. */
  expiresAt: string | null;
  revokedAt: string | null;
  /** When a hub last looked it up, to within `auth.cacheMs`; null: never used. */
  lastUsedAt: string | null;
}

/** The caller behind a token (`GET /whoami`). */
export interface WhoAmI {
  role: Role;
  agentId: string | null;
  actor: string;
  tokenId: string;
  /** The token's name; unnamed, its role and a short id. */
  name: string;
}

/** One budget of `GET /budgets`: spend against the limit of an agent, a task or the hub's UTC day. */
export interface BudgetView {
  scope: 'agent' | 'task' | 'global';
  scopeId: string;
  spentUsd: number;
  limitUsd: number;
  warned: boolean;
  exceeded: boolean;
  overridden: boolean;
}

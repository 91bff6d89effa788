import type { SpawnRequest as SpawnBody } from '../../contracts/requests.ts';
import type { AppendReceipt, EventAppend, EventEnvelope } from '../../contracts/types.ts';

export type { AppendReceipt, EventAppend, EventEnvelope };
export type { ActorView, AgentView, ProjectView, Approval, DecisionView, RunnerView, TaskView, TokenView, BudgetView, WhoAmI, TokenRequest } from '../../contracts/views.ts';
export type { Overview, OverviewAgent, OverviewFailure, OverviewHeal, OverviewSpend } from '../../contracts/views.ts';
export type { Brief, BriefAgentCost, BriefBlockedTask, BriefDecision, BriefFailure, BriefPendingDecision, BriefTask } from '../../contracts/views.ts';
export type { AgentStatus, DecisionStatus, OnTimeout, Risk, Role, TaskStatus } from '../../contracts/vocabulary.ts';

/** What an asker sends to `POST /decisions`. */
export type { DecisionRequest as DecisionAsk } from '../../contracts/views.ts';

/**
 * What `POST /spawn` takes, from its schema: a template to start, or a failed agent the hub
 * started, to start again from its own request (all the healer may ask), and nothing else with it.
 */
export type SpawnRequest = (Omit<SpawnBody, 'template' | 'respawnOf'> & { template: string }) | Required<Pick<SpawnBody, 'respawnOf'>>;

/** What `POST /policies/check` judges, and what it answers. */
export type { PolicyCheck } from '../../contracts/requests.ts';
export type { PolicyVerdict } from '../../contracts/views.ts';

/** One entry of `GET /templates`. */
export interface TemplateView {
  name: string;
  description: string | null;
}

/** The answer to `POST /spawn`: the new agent, which a runner starts as soon as one can (`deduped` on a retried request). */
export interface SpawnReceipt {
  agentId: string;
  name: string;
  deduped?: true;
}

/** What a runner says of itself when it registers. */
export type { RunnerRegistration } from '../../contracts/requests.ts';

/** The answer to a runner's registration. */
export interface RunnerReceipt {
  runnerId: string;
  /** The longest the hub holds a poll for work open. */
  maxPollWaitMs: number;
}

/** One thing for a runner to do, from the log: start an agent, stop one, or hand one a message. */
export interface WorkItem {
  seq: number;
  id: string;
  type: 'agent.assigned' | 'agent.stop_requested' | 'agent.message_injected' | 'workspace.merge_approved';
  agentId: string;
  data: Record<string, unknown>;
}

/** A poll's answer: the work, and the cursor to poll after next. */
export interface WorkPage {
  work: WorkItem[];
  after: number;
}

/** What the hub hands a runner that starts an assigned agent: the agent's request, and its token (in this answer only). */
export interface AgentStartPlan {
  agentId: string;
  name: string;
  template: string;
  taskId: string | null;
  input: unknown;
  traceparent: string;
  token: string;
}

/** The answer to `POST /inject`: the `agent.message_injected` event. */
export interface InjectReceipt {
  id: string;
  seq: number;
  agentId: string;
}

/** A minted token: the secret is in this answer only. */
export interface TokenReceipt {
  id: string;
  token: string;
  role: string;
  agentId: string | null;
  name: string | null;
  expiresAt: string | null;
}

/** Which events a reader wants; `types` entries may end in `.*`. */
export interface EventSelection {
  types?: readonly string[] | string;
  agent?: string;
  task?: string;
  /** Only the events about this project's agents, tasks and decisions. */
  project?: string;
}

/** Which log the hub serves (`logId`, made once in its database) and its newest `seq` when asked. */
export interface LogHead {
  logId: string;
  head: number;
}

/** One JSON page of the log; pass `next` as the next `after` (or, newest first, the next `before`). */
export interface EventPage extends LogHead {
  events: EventEnvelope[];
  next: number;
}

/** A message an operator injected into an agent. */
export interface InjectedMessage {
  /** The `agent.message_injected` event's id. */
  id: string;
  seq: number;
  message: string;
  from: string;
}

/** The query string of a selection (`types=a,b&agent=X&task=Y`), empty parts left out. */
export function selectionQuery(selection: EventSelection, extra: Record<string, string | number | undefined> = {}): string {
  const query = new URLSearchParams();
  const types = typeof selection.types === 'string' ? selection.types : selection.types?.join(',');
  if (types) query.set('types', types);
  if (selection.agent) query.set('agent', selection.agent);
  if (selection.task) query.set('task', selection.task);
  if (selection.project) query.set('project', selection.project);
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) query.set(name, String(value));
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

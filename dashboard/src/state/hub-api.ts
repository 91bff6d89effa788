import { defaultRetry } from '../../../server/client/backoff.ts';
import { HubClientError } from '../../../server/client/errors.ts';
import { type HubConnection, type HubRequest, hubBaseUrl, sendToHub } from '../../../server/client/hub-request.ts';
import type { ActorView, AgentTemplate, AgentView, DecisionStatus, DecisionView, EventEnvelope, SpawnRequest, TaskStatus, TaskView, Whoami } from './types.ts';

/** One JSON page of the log, and the newest `seq` in the log when it was read. */
export interface EventPage {
  events: EventEnvelope[];
  next: number;
  head: number;
}

/** A page after `after`, oldest first; or, with `before`, the events below it, newest first. */
export interface PageQuery {
  after?: number;
  before?: number;
  limit: number;
  types?: string;
  agent?: string;
}

/** The hub's endpoints the dashboard uses, typed; every failure is a `HubClientError` with the problem's `detail`. */
export interface HubApi {
  whoami(): Promise<Whoami>;
  /** Who the actors are: all token holders, or those among `ids`. */
  actors(ids?: readonly string[]): Promise<ActorView[]>;
  agents(): Promise<AgentView[]>;
  agent(id: string): Promise<AgentView>;
  tasks(): Promise<TaskView[]>;
  task(id: string): Promise<TaskView>;
  decisions(status: DecisionStatus | undefined, limit: number): Promise<DecisionView[]>;
  decision(id: string): Promise<DecisionView>;
  page(query: PageQuery): Promise<EventPage>;
  templates(): Promise<AgentTemplate[]>;
  pause(agentId: string): Promise<AgentView>;
  resume(agentId: string): Promise<AgentView>;
  inject(agentId: string, message: string): Promise<{ id: string; seq: number }>;
  spawn(request: SpawnRequest): Promise<{ agentId: string; token: string; name: string }>;
  transition(taskId: string, to: TaskStatus, reason?: string): Promise<TaskView>;
  resolve(decisionId: string, outcome: string, comment?: string): Promise<DecisionView>;
  pauseAll(): Promise<{ paused: string[] }>;
  resumeAll(): Promise<{ resumed: string[] }>;
}

const enc = encodeURIComponent;

/** The API for one token, through the shared client's request function (retries reads, never a plain 4xx). */
export function hubApi(token: string, baseUrl: string, fetcher: typeof fetch): HubApi {
  // Browsers refuse `fetch` called as a method of another object, so it is wrapped.
  const connection: HubConnection = { url: hubBaseUrl(baseUrl), token, fetch: (input, init) => fetcher(input, init), retry: { ...defaultRetry, attempts: 3 } };
  const get = <T>(path: string) => sendToHub<T>(connection, { method: 'GET', path, idempotent: true });
  const post = <T>(path: string, body: unknown, idempotent = false) => sendToHub<T>(connection, { method: 'POST', path, body, idempotent } satisfies HubRequest);
  return {
    whoami: () => get('/whoami'),
    actors: async (ids) => (await get<{ actors: ActorView[] }>(`/actors${ids ? `?ids=${enc(ids.join(','))}` : ''}`)).actors,
    agents: async () => (await get<{ agents: AgentView[] }>('/agents')).agents,
    agent: (id) => get(`/agents/${enc(id)}`),
    tasks: async () => (await get<{ tasks: TaskView[] }>('/tasks')).tasks,
    task: (id) => get(`/tasks/${enc(id)}`),
    decisions: async (status, limit) => (await get<{ decisions: DecisionView[] }>(`/decisions?${status ? `status=${status}&` : ''}limit=${limit}`)).decisions,
    decision: (id) => get(`/decisions/${enc(id)}`),
    page: (q) => get(`/events?${q.before === undefined ? `after=${q.after ?? 0}` : `before=${q.before}`}&limit=${q.limit}${q.types ? `&types=${enc(q.types)}` : ''}${q.agent ? `&agent=${enc(q.agent)}` : ''}`),
    templates: async () => (await get<{ templates: AgentTemplate[] }>('/templates')).templates,
    pause: (id) => post(`/agents/${enc(id)}/pause`, {}),
    resume: (id) => post(`/agents/${enc(id)}/resume`, {}),
    inject: (agentId, message) => post('/inject', { agentId, message }),
    spawn: (request) => post('/spawn', request),
    transition: (id, to, reason) => post(`/tasks/${enc(id)}/transition`, { to, ...(reason ? { reason } : {}) }),
    // The same answer again is harmless, so a resolve may be retried.
    resolve: (id, outcome, comment) => post(`/decisions/${enc(id)}/resolve`, { outcome, ...(comment ? { comment } : {}) }, true),
    pauseAll: () => post('/pause-all', {}),
    resumeAll: () => post('/resume-all', {}),
  };
}

/** What to show a person for a failed request: the problem's `detail`, or why the hub could not be reached. */
export function problemText(error: unknown): string {
  if (error instanceof HubClientError) return error.status === 0 ? `cannot reach the hub: ${error.detail}` : error.detail;
  return error instanceof Error ? error.message : String(error);
}

/** The HTTP status of a failed request (0: no answer, or not a request error). */
export function problemStatus(error: unknown): number {
  return error instanceof HubClientError ? error.status : 0;
}

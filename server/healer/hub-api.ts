import { HubClientError } from '../client/errors.ts';
import { type HubConnection, sendToHub } from '../client/hub-request.ts';
import { type AgentView, type DecisionView, type EventPage, selectionQuery } from '../client/views.ts';

/** How the failed agent was started (its `agent.spawn_requested`): what a respawn repeats. */
export interface AgentOrigin {
  template: string;
  name: string;
  taskId?: string;
  input?: unknown;
}

/** The few hub calls the healer makes; every write is safe to repeat. */
export interface HealerHub {
  /** The agent's `agent.spawn_requested`, or undefined when the hub did not spawn it. */
  findOrigin(agentId: string, signal?: AbortSignal): Promise<AgentOrigin | undefined>;
  /** Starts the failed agent again from its own spawn request, under an idempotency key; the same key always answers the same agent id. */
  respawn(agentId: string, key: string, signal?: AbortSignal): Promise<string>;
  /** Resumes the agent; one that already runs counts as resumed. */
  resume(agentId: string, reason: string, signal?: AbortSignal): Promise<void>;
  /** Moves the task back to `todo` (by way of `blocked` when the board asks for it); one already there counts. */
  retryTask(taskId: string, reason: string, signal?: AbortSignal): Promise<void>;
  /** The decision that an expired decision escalated into, if any. */
  escalatedTo(decisionId: string, signal?: AbortSignal): Promise<string | undefined>;
}

interface TaskView {
  id: string;
  status: string;
}

/** The healer's calls over the typed client's request function (bearer token, retries with backoff). */
export function hubApi(hub: HubConnection): HealerHub {
  const get = <T>(path: string, signal?: AbortSignal) => sendToHub<T>(hub, { method: 'GET', path, idempotent: true, ...(signal ? { signal } : {}) });
  const post = <T>(path: string, body: unknown, signal?: AbortSignal, headers?: Record<string, string>) =>
    sendToHub<T>(hub, { method: 'POST', path, body, idempotent: headers !== undefined, ...(headers ? { headers } : {}), ...(signal ? { signal } : {}) });
  const transition = (taskId: string, to: string, reason: string, signal?: AbortSignal) =>
    post<TaskView>(`/tasks/${enc(taskId)}/transition`, { to, reason }, signal);

  return {
    async findOrigin(agentId, signal) {
      let origin: AgentOrigin | undefined;
      for (let after = 0; ; ) {
        const query = selectionQuery({ agent: agentId, types: ['agent.spawn_requested'] }, { after, limit: 1000 });
        const page = await get<EventPage>(`/events${query}`, signal);
        for (const event of page.events) origin = event.data as unknown as AgentOrigin;
        if (page.events.length === 0) return origin;
        after = page.next;
      }
    },

    async respawn(agentId, key, signal) {
      const receipt = await post<{ agentId: string }>('/spawn', { respawnOf: agentId }, signal, { 'idempotency-key': key });
      return receipt.agentId;
    },

    async resume(agentId, reason, signal) {
      try {
        await post(`/agents/${enc(agentId)}/resume`, { reason }, signal);
      } catch (error) {
        // A resume that already happened (our own, before a restart) is a 409: look before calling it a failure.
        if (!isConflict(error)) throw error;
        const agent = await get<AgentView>(`/agents/${enc(agentId)}`, signal);
        if (agent.status !== 'running') throw error;
      }
    },

    async retryTask(taskId, reason, signal) {
      try {
        await transition(taskId, 'todo', reason, signal);
      } catch (error) {
        if (!isConflict(error)) throw error;
        // The board reaches todo only from blocked: go by way of it, unless the task is there already.
        const task = await get<TaskView>(`/tasks/${enc(taskId)}`, signal);
        if (task.status === 'todo') return;
        if (task.status !== 'blocked' && !['in_progress', 'review'].includes(task.status)) throw error;
        if (task.status !== 'blocked') await transition(taskId, 'blocked', reason, signal);
        await transition(taskId, 'todo', reason, signal);
      }
    },

    async escalatedTo(decisionId, signal) {
      const decision = await get<DecisionView>(`/decisions/${enc(decisionId)}`, signal);
      return decision.escalatedTo ?? undefined;
    },
  } satisfies HealerHub;
}

function isConflict(error: unknown): boolean {
  return error instanceof HubClientError && error.status === 409;
}

const enc = encodeURIComponent;

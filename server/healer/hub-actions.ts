import { HubClientError, unlessMissing } from '../client/errors.ts';
import type { TraceContext } from '../../contracts/trace-context.ts';
import { taskTransitions } from '../../contracts/views.ts';
import type { HubClient } from '../client/hub-client.ts';

/** How the hub started the failed agent: its template, and the task it works on. */
export interface AgentOrigin {
  template: string;
  taskId?: string;
}

/** What the healer asks of the hub, in its own words; every write is safe to repeat. */
export interface HealerHub {
  /** The agent's template and task, or undefined when the hub did not start it (or does not know it). */
  findOrigin(agentId: string, signal?: AbortSignal): Promise<AgentOrigin | undefined>;
  /** Starts the failed agent again from its own spawn request, under an idempotency key; the same key always answers the same agent id. */
  respawn(agentId: string, key: string, signal?: AbortSignal): Promise<string>;
  /** Resumes the agent; one that already runs counts as resumed. */
  resume(agentId: string, reason: string, signal?: AbortSignal): Promise<void>;
  /** Moves the task back to `todo` (by way of `blocked` when the board asks for it); one already there counts. */
  retryTask(taskId: string, reason: string, signal?: AbortSignal): Promise<void>;
  /** The decision that an expired decision escalated into, if any. */
  escalatedTo(decisionId: string, signal?: AbortSignal): Promise<string | undefined>;
  /** The same asks, sent in the W3C span `trace`: what the hub logs for them joins that trace. */
  inSpan(trace: TraceContext): HealerHub;
}

/** The healer's asks over the one client (bearer token, retries with backoff). */
export function healerHub(hub: HubClient): HealerHub {
  return {
    async findOrigin(agentId, signal) {
      // One read of the agent's view: an agent that registered itself has no template.
      const agent = await unlessMissing(hub.agents.get(agentId, { signal }));
      if (agent?.template == null) return undefined;
      return { template: agent.template, ...(agent.taskId !== null ? { taskId: agent.taskId } : {}) };
    },

    async respawn(agentId, key, signal) {
      return (await hub.agents.spawn({ respawnOf: agentId }, { idempotencyKey: key, signal })).agentId;
    },

    async resume(agentId, reason, signal) {
      try {
        await hub.agents.resume(agentId, reason, { signal });
      } catch (error) {
        // A resume that already happened (our own, before a restart) is a 409: look before calling it a failure.
        if (!isConflict(error)) throw error;
        if ((await hub.agents.get(agentId, { signal })).status !== 'running') throw error;
      }
    },

    async retryTask(taskId, reason, signal) {
      const options = { signal };
      try {
        await hub.tasks.transition(taskId, 'todo', reason, options);
      } catch (error) {
        if (!isConflict(error)) throw error;
        // The board reaches todo only from blocked: go by way of it, unless the task is there already.
        const task = await hub.tasks.get(taskId, options);
        if (task.status === 'todo') return;
        if (task.status !== 'blocked') {
          // A task the board cannot block (done, cancelled) cannot go back to todo at all.
          if (!taskTransitions[task.status].includes('blocked')) throw error;
          await hub.tasks.transition(taskId, 'blocked', reason, options);
        }
        await hub.tasks.transition(taskId, 'todo', reason, options);
      }
    },

    async escalatedTo(decisionId, signal) {
      return (await hub.decisions.get(decisionId, { signal })).escalatedTo ?? undefined;
    },

    inSpan(trace) {
      return healerHub(hub.withTrace(trace));
    },
  } satisfies HealerHub;
}

function isConflict(error: unknown): boolean {
  return error instanceof HubClientError && error.status === 409;
}

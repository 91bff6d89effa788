import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { TaskStatus } from '../../contracts/vocabulary.ts';
import { HubClientError } from '../client/hub-client.ts';
import type { TaskView } from '../client/views.ts';
import { type McpCaller, callerAgent } from './caller.ts';
import { answer, refusalsAsResults } from './results.ts';

const taskId = z.string().min(1).max(128).describe('The task\'s id (tsk_...), as list_tasks shows it.');

/**
 * `list_tasks`, `claim_task` and `update_task`: the board as `GET /tasks` and
 * `POST /tasks/:id/transition` give it to the caller's token, so the board's own rules (an agent
 * moves only its own tasks, takes only an unassigned todo one, never marks one done) decide.
 */
export function registerTaskTools(server: McpServer, caller: McpCaller): void {
  server.registerTool(
    'list_tasks',
    {
      title: 'List the tasks on the board',
      description: "The task board of your agent's project, oldest first, optionally one status only. Each line: id, status, priority, who has it, title.",
      inputSchema: { status: z.enum(TaskStatus).optional().describe('Only tasks in this status, e.g. todo for the ones you could claim.') },
      annotations: { readOnlyHint: true },
    },
    ({ status }) =>
      refusalsAsResults(async () => {
        const agentId = await callerAgent(caller);
        const project = await projectOf(caller, agentId);
        const tasks = await caller.hub.tasks.list({ ...(status ? { status } : {}), ...(project ? { project } : {}) });
        const lines = tasks.map((t) => `${t.id}  ${t.status}  ${t.priority}  ${t.agentId === agentId ? 'yours' : (t.agentId ?? 'unassigned')}  ${t.title}`);
        const text = tasks.length === 0 ? `No tasks${status ? ` in ${status}` : ''}${project ? ` in project ${project}` : ''}.` : lines.join('\n');
        return answer(text, { tasks });
      }),
  );

  server.registerTool(
    'claim_task',
    {
      title: 'Take a task and start it',
      description: 'Assigns an unassigned todo task to you and moves it to in_progress (a task already yours in todo, or blocked, is started again). Refused, with the reason, for a task of another agent or one that is not waiting.',
      inputSchema: { taskId },
    },
    ({ taskId: id }) =>
      refusalsAsResults(async () => {
        await callerAgent(caller);
        const task = await caller.hub.tasks.transition(id, 'in_progress');
        return answer(`Task ${task.id} is yours and in_progress: ${task.title}`, { task });
      }),
  );

  server.registerTool(
    'update_task',
    {
      title: 'Move your task on the board',
      description:
        'Moves your task: to review when your work is ready for a person to check, to blocked (say why in reason) when you cannot go on, back to in_progress when it is unblocked. ' +
        'Marking a task done is for an operator; the board refuses moves it does not allow, naming the ones it does.',
      inputSchema: {
        taskId,
        to: z.enum([TaskStatus.review, TaskStatus.done, TaskStatus.blocked, TaskStatus.inProgress]).describe('Where the task goes.'),
        reason: z.string().min(1).max(4000).optional().describe('Why: what is ready, or what blocks you. Kept on the board.'),
      },
    },
    ({ taskId: id, to, reason }) =>
      refusalsAsResults(async () => {
        await callerAgent(caller);
        const task: TaskView = await caller.hub.tasks.transition(id, to, reason);
        return answer(`Task ${task.id} is now ${task.status}${task.blockedReason ? ` (${task.blockedReason})` : ''}: ${task.title}`, { task });
      }),
  );
}

/** The agent's project, once the hub knows the agent (its first event or heartbeat registers it); else none, and the token's scope alone applies. */
async function projectOf(caller: McpCaller, agentId: string): Promise<string | undefined> {
  try {
    return (await caller.hub.agents.get(agentId)).projectId;
  } catch (error) {
    if (error instanceof HubClientError && error.status === 404) return undefined;
    throw error;
  }
}

import { taskBoardOrder } from '../../contracts/views.ts';
import type { TaskStatus } from '../client/views.ts';
import { type Command, UsageError, positional, text } from './command.ts';
import { relative, table } from './format.ts';

export const tasksCommand: Command = {
  name: 'tasks',
  summary: 'list the task board',
  usage: `mc tasks [--status ${taskBoardOrder.join('|')}]`,
  help: `Lists tasks as the hub orders them: id, status, priority, the agent working on it, when it
last changed, and its title (with the reason when blocked).

  --status S    only tasks in S: ${taskBoardOrder.join(', ')} (default: every task)`,
  options: { status: { type: 'string' } },
  async run(ctx, values, positionals) {
    positional(positionals);
    const status = text(values, 'status');
    if (status !== undefined && !(taskBoardOrder as readonly string[]).includes(status)) {
      throw new UsageError(`--status must be one of ${taskBoardOrder.join(', ')}, got ${JSON.stringify(status)}`);
    }
    const tasks = await ctx.client.tasks.list(status === undefined ? {} : { status: status as TaskStatus });
    if (tasks.length === 0) {
      ctx.out(status === undefined ? 'no tasks' : `no ${status} tasks`);
      return 0;
    }
    const rows = tasks.map((t) => [t.id, t.status, t.priority, t.agentId ?? '-', relative(t.updatedAt), t.blockedReason ? `${t.title} (blocked: ${t.blockedReason})` : t.title]);
    for (const line of table([['ID', 'STATUS', 'PRIORITY', 'AGENT', 'CHANGED', 'TITLE'], ...rows])) ctx.out(line);
    return 0;
  },
};

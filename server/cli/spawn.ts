import { type Command, UsageError, jsonArgument, positional, text } from './command.ts';
import { table } from './format.ts';

export const spawnCommand: Command = {
  name: 'spawn',
  summary: 'start an agent from a configured template',
  usage: 'mc spawn <template> [--name N] [--input <json>] [--task X] [--budget <usd>]',
  help: `Starts an agent from <template> (the hub's config lists them; "sample" is built in) and
prints its id and name. A runner whose labels fit the template's runsOn starts it as soon as
one has room; until then "mc agents" shows it spawning, and GET /agents/<id> says why it waits.

  --name N         a name for people (default: <template>-<id>)
  --input <json>   any JSON value, handed to the agent as MC_AGENT_INPUT
  --task X         the task it works on
  --budget <usd>   its spending limit, over the template's`,
  options: { name: { type: 'string' }, input: { type: 'string' }, task: { type: 'string' }, budget: { type: 'string' } },
  async run(ctx, values, positionals) {
    const [template] = positional(positionals, 'template') as [string];
    const input = text(values, 'input');
    const budget = text(values, 'budget');
    const budgetUsd = budget === undefined ? undefined : Number(budget);
    if (budgetUsd !== undefined && !(budgetUsd >= 0)) throw new UsageError(`--budget must be a number of dollars, got ${JSON.stringify(budget)}`);
    const name = text(values, 'name');
    const taskId = text(values, 'task');
    const spawned = await ctx.client.agents.spawn({
      template,
      ...(name ? { name } : {}),
      ...(taskId ? { taskId } : {}),
      ...(input !== undefined ? { input: jsonArgument(input, '--input') } : {}),
      ...(budgetUsd !== undefined ? { budgetUsd } : {}),
    });
    for (const line of table([['agentId', spawned.agentId], ['name', spawned.name]])) ctx.out(line);
    return 0;
  },
};

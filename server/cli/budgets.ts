import { type Command, positional } from './command.ts';
import { table } from './format.ts';

export const budgetsCommand: Command = {
  name: 'budgets',
  summary: 'list spend against the budgets',
  usage: 'mc budgets',
  help: `Lists every budget with spend or a limit of its own: per agent, per task and the hub's UTC
day (scope global), with spend, limit and state (ok, warned at 80%, exceeded).
Raise a limit with POST /budgets {scope, scopeId?, limitUsd}.`,
  options: {},
  async run(ctx, _values, positionals) {
    positional(positionals);
    const budgets = await ctx.client.budgets.list();
    if (budgets.length === 0) {
      ctx.out('no budgets');
      return 0;
    }
    const rows = budgets.map((b) => [b.scope, b.scopeId, `$${b.spentUsd.toFixed(2)} / $${b.limitUsd.toFixed(2)}`, b.exceeded ? 'exceeded' : b.warned ? 'warned' : 'ok']);
    for (const line of table([['SCOPE', 'ID', 'SPENT / LIMIT', 'STATE'], ...rows])) ctx.out(line);
    return 0;
  },
};

import { type Command, positional } from './command.ts';
import { relative, table } from './format.ts';

export const agentsCommand: Command = {
  name: 'agents',
  summary: 'list the agents and what they are doing',
  usage: 'mc agents',
  help: `Lists every agent: id, name, status, when it was last heard from, spend against budget,
and the decision it waits for.`,
  options: {},
  async run(ctx, _values, positionals) {
    positional(positionals);
    const agents = await ctx.client.agents.list();
    if (agents.length === 0) {
      ctx.out('no agents');
      return 0;
    }
    const rows = agents.map((a) => [
      a.id,
      a.name,
      a.status === 'paused' && a.pausedReason ? `paused (${a.pausedReason})` : a.status,
      relative(a.lastSeenAt),
      `$${a.spentUsd.toFixed(2)} / $${a.budgetUsd.toFixed(2)}`,
      a.pendingDecisionId ?? '-',
    ]);
    for (const line of table([['ID', 'NAME', 'STATUS', 'LAST SEEN', 'SPENT / BUDGET', 'WAITING FOR'], ...rows])) ctx.out(line);
    return 0;
  },
};

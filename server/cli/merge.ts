import { type Command, positional, text } from './command.ts';

export const mergeCommand: Command = {
  name: 'merge',
  summary: "ask to merge an ended agent's branch",
  usage: 'mc merge <agentId> [--reason <text>]',
  help: `Puts the branch of an ended agent whose template names a workspace (mc/<its name>) up for a
merge into its base: a decision, with the diffstat, the commits and the diff, that someone answers
(mc resolve). Only an approved merge is applied, by the agent's runner; workspace.merged or
workspace.merge_failed in the log says how it went. An agent with no workspace, still running,
with no commit, or whose merge is pending or done is refused (exit 3).

  --reason <text>   why, shown with the decision`,
  options: { reason: { type: 'string' } },
  async run(ctx, values, positionals) {
    const [agentId] = positional(positionals, 'agentId') as [string];
    const decision = await ctx.client.agents.merge(agentId, text(values, 'reason'));
    ctx.out(`${decision.id}: ${decision.title} (${decision.risk}, ${decision.status})`);
    return 0;
  },
};

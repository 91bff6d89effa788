import { type Command, positional, text } from './command.ts';

export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'withdraw a pending decision',
  usage: 'mc cancel <decisionId> [--reason <text>]',
  help: `Withdraws decision <id> before anyone answers it: it leaves the inbox and its asker stops
waiting. An operator cancels any decision; an agent's token only one it asked. A decision already
answered, expired or cancelled is refused (exit 3).

  --reason <text>   why; the asker sees it`,
  options: { reason: { type: 'string' } },
  async run(ctx, values, positionals) {
    const [id] = positional(positionals, 'decisionId') as [string];
    const decision = await ctx.client.decisions.cancel(id, text(values, 'reason'));
    ctx.out(`${decision.id}: cancelled${decision.comment ? `: ${decision.comment}` : ''}`);
    return 0;
  },
};

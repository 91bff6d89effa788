import { type Command, UsageError } from './command.ts';

export const injectCommand: Command = {
  name: 'inject',
  summary: 'hand a running agent a message',
  usage: 'mc inject <agent> <message>',
  help: `Sends <message> to agent <agent> (running, awaiting a decision, or paused). The words after
<agent> are joined with spaces, so quoting the message is optional.`,
  options: {},
  async run(ctx, _values, positionals) {
    const [agentId, ...words] = positionals;
    if (agentId === undefined || words.length === 0) throw new UsageError(`missing ${agentId === undefined ? '<agent> ' : ''}<message>`);
    const receipt = await ctx.client.agents.inject(agentId, words.join(' '));
    ctx.out(`injected into ${receipt.agentId} at seq ${receipt.seq} (${receipt.id})`);
    return 0;
  },
};

import { type Command, positional } from './command.ts';

export const whoamiCommand: Command = {
  name: 'whoami',
  summary: 'show who the token is',
  usage: 'mc whoami',
  help: `Prints the role of MC_TOKEN, the agent it is bound to (agent tokens), and the actor its
events are recorded as. A refused token exits 3.`,
  options: {},
  async run(ctx, _values, positionals) {
    positional(positionals);
    const me = await ctx.client.whoami();
    ctx.out(`${me.actor} (role ${me.role}${me.agentId ? `, agent ${me.agentId}` : ''}) at ${ctx.client.url}`);
    return 0;
  },
};

import { type Command, UsageError, positional, text } from './command.ts';

const roles = ['admin', 'operator', 'agent', 'healer', 'viewer'];

export const tokensCommand: Command = {
  name: 'tokens',
  summary: 'mint a token (admin)',
  usage: 'mc tokens create --role admin|operator|agent|healer|viewer [--name <name>] [--agent <agentId>]',
  help: `Mints a token with an admin's MC_TOKEN and prints it: the secret is shown this once and
stored only hashed. An agent token is bound to one agent (--agent). Listing tokens is not
offered by the hub yet.

  --role R          ${roles.join(', ')}
  --name <name>     who holds it, e.g. the person's name
  --agent <id>      for --role agent: the agent it speaks for`,
  options: { role: { type: 'string' }, name: { type: 'string' }, agent: { type: 'string' } },
  async run(ctx, values, positionals) {
    const [action] = positional(positionals, 'action');
    if (action !== 'create') throw new UsageError(`the only action is "create", got ${JSON.stringify(action)}`);
    const role = text(values, 'role');
    if (role === undefined || !roles.includes(role)) throw new UsageError(`--role must be one of ${roles.join(', ')}, got ${role === undefined ? 'none' : JSON.stringify(role)}`);
    const agentId = text(values, 'agent');
    if ((role === 'agent') !== (agentId !== undefined)) throw new UsageError(role === 'agent' ? '--role agent needs --agent <agentId>' : '--agent goes only with --role agent');
    const name = text(values, 'name');
    const minted = await ctx.client.mintToken({ role, ...(agentId !== undefined ? { agentId } : {}), ...(name !== undefined ? { name } : {}) });
    ctx.out(minted.token);
    ctx.err(`minted ${minted.role} token ${minted.id}${minted.agentId ? ` for ${minted.agentId}` : ''}${minted.name ? ` (${minted.name})` : ''}; the secret above is not shown again`);
    return 0;
  },
};

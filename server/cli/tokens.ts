import { type Role, roles } from '../../contracts/vocabulary.ts';
import { type Command, UsageError, positional, text } from './command.ts';
import { table } from './format.ts';

export const tokensCommand: Command = {
  name: 'tokens',
  summary: 'list, mint and revoke tokens (admin)',
  usage: 'mc tokens [list] | mc tokens create --role <role> [--name <name>] [--agent <agentId>] [--expires-in <sec>] | mc tokens revoke <tokenId>',
  help: `With an admin's MC_TOKEN:
  mc tokens             lists every token: id, role, agent, name, state (never a secret)
  mc tokens create      mints a token and prints it alone on stdout: the secret is shown this
                        once and stored only hashed
  mc tokens revoke ID   revokes a token; every hub refuses it within its cache time (10 s)

  --role R          ${roles.join(', ')}
  --name <name>     who holds it, e.g. the person's name
  --agent <id>      for --role agent: the agent it speaks for
  --expires-in S    the token expires after S seconds`,
  options: { role: { type: 'string' }, name: { type: 'string' }, agent: { type: 'string' }, 'expires-in': { type: 'string' } },
  async run(ctx, values, positionals) {
    const [action = 'list', ...rest] = positionals;
    if (action === 'list') {
      positional(rest);
      const rows = (await ctx.client.tokens.list()).map((t) => [t.id, t.role, t.agentId ?? '-', t.name ?? '-', t.revokedAt ? 'revoked' : t.expiresAt && Date.parse(t.expiresAt) <= Date.now() ? 'expired' : 'active']);
      for (const line of table([['ID', 'ROLE', 'AGENT', 'NAME', 'STATE'], ...rows])) ctx.out(line);
      return 0;
    }
    if (action === 'revoke') {
      const [id] = positional(rest, 'tokenId');
      const revoked = await ctx.client.tokens.revoke(id!);
      ctx.out(`${revoked.id}: revoked at ${revoked.revokedAt}`);
      return 0;
    }
    if (action !== 'create') throw new UsageError(`the action is list, create or revoke, got ${JSON.stringify(action)}`);
    positional(rest);
    const role = text(values, 'role');
    if (role === undefined || !isRole(role)) throw new UsageError(`--role must be one of ${roles.join(', ')}, got ${role === undefined ? 'none' : JSON.stringify(role)}`);
    const agentId = text(values, 'agent');
    if ((role === 'agent') !== (agentId !== undefined)) throw new UsageError(role === 'agent' ? '--role agent needs --agent <agentId>' : '--agent goes only with --role agent');
    const name = text(values, 'name');
    const expiresIn = text(values, 'expires-in');
    if (expiresIn !== undefined && !/^[1-9]\d{0,9}$/.test(expiresIn)) throw new UsageError(`--expires-in must be a whole number of seconds, got ${JSON.stringify(expiresIn)}`);
    const minted = await ctx.client.tokens.create({
      role,
      ...(agentId !== undefined ? { agentId } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(expiresIn !== undefined ? { expiresInSec: Number(expiresIn) } : {}),
    });
    ctx.out(minted.token);
    ctx.err(`minted ${minted.role} token ${minted.id}${minted.agentId ? ` for ${minted.agentId}` : ''}${minted.name ? ` (${minted.name})` : ''}; the secret above is not shown again`);
    return 0;
  },
};

function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

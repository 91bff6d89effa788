import { type Command, UsageError, positional, text } from './command.ts';
import { decisionOutcome } from './format.ts';
import { resolverName } from './names.ts';

const scopes = ['agent', 'project', 'everyone'] as const;
type Scope = (typeof scopes)[number];

export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'answer a decision',
  usage: 'mc resolve <id> approve|deny|<option> [--comment <text>] [--allow-from-now agent|project|everyone]',
  help: `Answers decision <id> with approve, deny or one of its options; the first answer wins. A red
decision needs "approve" from two different operators: the first is recorded as one approval.

  --comment <text>         why; the asker sees it with the outcome
  --allow-from-now <who>   with approve, for a coding agent's tool call: allow the same call from
                           now on for the asking agent, its project, or everyone (a policy rule)`,
  options: { comment: { type: 'string' }, 'allow-from-now': { type: 'string' } },
  async run(ctx, values, positionals) {
    const [id, outcome] = positional(positionals, 'id', 'outcome') as [string, string];
    const scope = text(values, 'allow-from-now');
    if (scope !== undefined && !scopes.includes(scope as Scope)) throw new UsageError(`--allow-from-now must be one of ${scopes.join(', ')}, got ${JSON.stringify(scope)}`);
    const decision = await ctx.client.decisions.resolve(id, outcome, text(values, 'comment'), scope === undefined ? {} : { allowFromNow: scope as Scope });
    ctx.out(`${decision.id}: ${decisionOutcome(decision, await resolverName(ctx.client, decision))}`);
    return 0;
  },
};

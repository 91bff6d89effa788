import { type Command, positional, text } from './command.ts';
import { decisionOutcome } from './format.ts';
import { resolverName } from './names.ts';

export const resolveCommand: Command = {
  name: 'resolve',
  summary: 'answer a decision',
  usage: 'mc resolve <id> approve|deny|<option> [--comment <text>]',
  help: `Answers decision <id> with approve, deny or one of its options; the first answer wins. A red
decision needs "approve" from two different operators: the first is recorded as one approval.

  --comment <text>   why; the asker sees it with the outcome`,
  options: { comment: { type: 'string' } },
  async run(ctx, values, positionals) {
    const [id, outcome] = positional(positionals, 'id', 'outcome') as [string, string];
    const decision = await ctx.client.decisions.resolve(id, outcome, text(values, 'comment'));
    ctx.out(`${decision.id}: ${decisionOutcome(decision, await resolverName(ctx.client, decision))}`);
    return 0;
  },
};

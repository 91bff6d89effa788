import { type Command, text, wholeNumber } from './command.ts';
import { eventLine } from './format.ts';

export const tailCommand: Command = {
  name: 'tail',
  summary: 'follow the log live, one line per event',
  usage: 'mc tail [--types a,b] [--agent X] [--task X] [--after N]',
  help: `Prints each event as it is appended: seq, time (UTC), type, agent, the start of its data.
Runs until interrupted; when the connection drops it reconnects and resumes after the last
event it printed, so nothing is missed or printed twice.

  --types a,b   only these types; an entry ending in .* matches a prefix (decision.*)
  --agent X     only events about agent X
  --task X      only events about task X
  --after N     first replay the events after seq N (0: the whole log); default: live only`,
  options: { types: { type: 'string' }, agent: { type: 'string' }, task: { type: 'string' }, after: { type: 'string' } },
  async run(ctx, values) {
    const after = wholeNumber(text(values, 'after'), '--after');
    const selection = { types: text(values, 'types'), agent: text(values, 'agent'), task: text(values, 'task') };
    // One plain request first: a hub that is down or a refused token fails now, in one line,
    // instead of the stream retrying for ever.
    await ctx.client.events.page({ ...selection, after: 0, limit: 1 });
    for await (const event of ctx.client.events.subscribe({ ...selection, after, signal: ctx.signal })) ctx.out(eventLine(event));
    return 0;
  },
};

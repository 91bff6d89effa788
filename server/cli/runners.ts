import { type Command, positional } from './command.ts';
import { relative, table } from './format.ts';

export const runnersCommand: Command = {
  name: 'runners',
  summary: 'list the runners, their state and load',
  usage: 'mc runners',
  help: `Lists every runner that registered: name, status (offline once silent for
runners.offlineAfterMs), load against capacity, labels, and when it last asked for work.`,
  options: {},
  async run(ctx, _values, positionals) {
    positional(positionals);
    const runners = await ctx.client.runners.list();
    if (runners.length === 0) {
      ctx.out('no runners: start one (npm start runs one beside the hub; see the README, Runners)');
      return 0;
    }
    const rows = runners.map((r) => [
      r.id,
      r.name,
      r.status,
      `${r.load} / ${r.capacity}`,
      Object.entries(r.labels).map(([name, value]) => `${name}=${value}`).join(' '),
      r.lastSeenAt ? relative(r.lastSeenAt) : '-',
    ]);
    for (const line of table([['ID', 'NAME', 'STATUS', 'LOAD', 'LABELS', 'LAST SEEN'], ...rows])) ctx.out(line);
    return 0;
  },
};

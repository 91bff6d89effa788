import type { PersonView } from '../client/resources/people.ts';
import { type Command, positional } from './command.ts';
import { relative, table } from './format.ts';

export const peopleCommand: Command = {
  name: 'people',
  summary: 'list the people the hub tells and their contact points (admin)',
  usage: 'mc people',
  help: `With an admin's MC_TOKEN: lists every person of the config file's people with each contact
point: channel, id, address (the email address; any other URL only up to its host,
since a Slack URL is itself a secret) and how delivery to it stands (ok, failing N in a row, or paused and why).

A contact point's id works with mc webhooks deliveries, retry and resume. People come from the
config file; edit it and restart the hub to change them.`,
  options: {},
  async run(ctx, _values, positionals) {
    positional(positionals);
    const people = await ctx.client.people.list();
    if (people.length === 0) {
      ctx.out("no people configured: add them under people in the hub's config file");
      return 0;
    }
    const rows = people.flatMap((person) =>
      person.contactPoints.length === 0 ? [[person.name, '-', '-', '-', 'no contact point: told only in the dashboard']] : person.contactPoints.map((point) => [person.name, point.channel, point.id, point.address, standing(point)]),
    );
    for (const line of table([['PERSON', 'CHANNEL', 'ID', 'ADDRESS', 'STATE'], ...rows])) ctx.out(line);
    return 0;
  },
};

/** How delivery to a contact point stands, paused ones marked with why. */
function standing(point: PersonView['contactPoints'][number]): string {
  if (point.pausedAt !== null) return `paused ${relative(point.pausedAt)}: ${point.pausedReason ?? 'no reason given'} (mc webhooks resume ${point.id})`;
  return point.consecutiveFailures === 0 ? 'ok' : `failing (${point.consecutiveFailures} in a row)`;
}

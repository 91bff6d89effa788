import type { Webhook, WebhookDelivery } from '../../contracts/api-views.ts';
import { type Command, UsageError, positional, text, wholeNumber } from './command.ts';
import { relative, table } from './format.ts';

export const webhooksCommand: Command = {
  name: 'webhooks',
  summary: 'list, add and remove outbound webhooks, and steer their deliveries (admin)',
  usage: 'mc webhooks [list] | mc webhooks add <url> --types <types> [--description <text>] | mc webhooks rm <id> | mc webhooks deliveries <id> [--limit N] | mc webhooks retry <id> <deliveryId> | mc webhooks resume <id>',
  help: `With an admin's MC_TOKEN:
  mc webhooks                 lists every webhook: id, state, failures in a row, types, URL (never a secret)
  mc webhooks add URL         subscribes URL to --types and prints its signing secret alone on
                              stdout: it is shown this once
  mc webhooks rm ID           deletes a webhook; nothing more is sent to it
  mc webhooks deliveries ID   its deliveries, newest first: seq, id, type, status, attempts, next
                              attempt, and the last attempt's HTTP status or error
  mc webhooks retry ID DLV    makes a pending or failed delivery due at once
  mc webhooks resume ID       lifts a pause (after a 410, or too many failures in a row)

A person's contact point (cp_ann.email, from mc people) takes ID too, in deliveries, retry and resume.

  --types T1,T2        the event types delivered: catalog types (agent.failed), areas (decision.*)
                       or custom x. types (x.*)
  --description TEXT   what it is for, for the admins who read the list
  --limit N            the most deliveries listed (1 to 500; default 50)`,
  options: { types: { type: 'string' }, description: { type: 'string' }, limit: { type: 'string' } },
  async run(ctx, values, positionals) {
    const [action = 'list', ...rest] = positionals;
    if (action === 'list') {
      positional(rest);
      const webhooks = await ctx.client.webhooks.list();
      if (webhooks.length === 0) {
        ctx.out("no webhooks: add one with mc webhooks add <url> --types 'decision.*,agent.failed'");
        return 0;
      }
      const rows = webhooks.map((w) => [w.id, state(w), String(w.consecutiveFailures), w.types.join(','), w.url, w.description ?? '-']);
      for (const line of table([['ID', 'STATE', 'FAILURES', 'TYPES', 'URL', 'DESCRIPTION'], ...rows])) ctx.out(line);
      for (const w of webhooks) if (w.pausedAt !== null) ctx.out(`${w.id} paused ${relative(w.pausedAt)}: ${w.pausedReason ?? 'no reason given'}; mc webhooks resume ${w.id} lifts it`);
      return 0;
    }
    if (action === 'add') {
      const [url] = positional(rest, 'url');
      const types = (text(values, 'types') ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
      if (types.length === 0) throw new UsageError("--types is required: the event types to deliver, e.g. --types 'decision.*,agent.failed'");
      const description = text(values, 'description');
      const created = await ctx.client.webhooks.create({ url: url!, types, ...(description !== undefined ? { description } : {}) });
      ctx.out(created.secret);
      ctx.err(`added webhook ${created.id}: ${created.types.join(', ')} to ${created.url}; the secret above signs its deliveries and is shown only now`);
      return 0;
    }
    if (action === 'rm') {
      const [id] = positional(rest, 'id');
      const deleted = await ctx.client.webhooks.delete(id!);
      ctx.out(`${deleted.id}: deleted at ${deleted.deletedAt}`);
      return 0;
    }
    if (action === 'deliveries') {
      const [id] = positional(rest, 'id');
      const limit = wholeNumber(text(values, 'limit'), '--limit', 1);
      const deliveries = await ctx.client.webhooks.deliveries(id!, limit === undefined ? {} : { limit });
      if (deliveries.length === 0) {
        ctx.out(`no deliveries to ${id} yet: it gets the events of its types appended since it was made`);
        return 0;
      }
      const rows = deliveries.map((d) => [String(d.seq), d.id, d.eventType, d.status, String(d.attempts), relative(d.nextAttemptAt), lastAttempt(d)]);
      for (const line of table([['SEQ', 'ID', 'TYPE', 'STATUS', 'ATTEMPTS', 'NEXT ATTEMPT', 'LAST'], ...rows])) ctx.out(line);
      return 0;
    }
    if (action === 'retry') {
      const [id, deliveryId] = positional(rest, 'id', 'deliveryId');
      const delivery = await ctx.client.webhooks.retry(id!, deliveryId!);
      ctx.out(`${delivery.id}: ${delivery.status}, due now`);
      return 0;
    }
    if (action !== 'resume') throw new UsageError(`the action is list, add, rm, deliveries, retry or resume, got ${JSON.stringify(action)}`);
    const [id] = positional(rest, 'id');
    const resumed = await ctx.client.webhooks.resume(id!);
    ctx.out(`${resumed.id}: delivering`);
    return 0;
  },
};

function state(webhook: Webhook): string {
  return webhook.pausedAt === null ? 'active' : 'paused';
}

/** The last attempt in a few words: the receiver's status and the error, `-` before any attempt. */
function lastAttempt(delivery: WebhookDelivery): string {
  const parts = [delivery.lastStatus === null ? undefined : String(delivery.lastStatus), delivery.lastError ?? undefined].filter((p) => p !== undefined);
  return parts.length === 0 ? '-' : parts.join(': ');
}

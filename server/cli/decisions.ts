import { decisionStatuses } from '../../contracts/vocabulary.ts';
import type { DecisionView } from '../client/views.ts';
import { type Command, UsageError, text } from './command.ts';
import { relative, table } from './format.ts';

const statuses: readonly string[] = [...decisionStatuses, 'all'];

export const decisionsCommand: Command = {
  name: 'decisions',
  summary: 'list the decision inbox',
  usage: 'mc decisions [--status pending|resolved|expired|cancelled|all]',
  help: `Lists decisions, newest first as the hub orders them: id, status, risk, deadline or outcome,
who asked, and the question.

  --status S    pending (the default), resolved, expired, cancelled, or all`,
  options: { status: { type: 'string', default: 'pending' } },
  async run(ctx, values) {
    const status = text(values, 'status')!;
    if (!statuses.includes(status)) throw new UsageError(`--status must be one of ${statuses.join(', ')}, got ${JSON.stringify(status)}`);
    const decisions = await ctx.client.decisions.list(status === 'all' ? {} : { status: status as DecisionView['status'] });
    if (decisions.length === 0) {
      ctx.out(status === 'all' ? 'no decisions' : `no ${status} decisions`);
      return 0;
    }
    const rows = decisions.map((d) => [d.id, d.status, d.risk, d.status === 'pending' ? `due ${relative(d.expiresAt)}` : (d.outcome ?? '-'), d.agentId ?? d.requestedBy ?? '-', d.title]);
    for (const line of table([['ID', 'STATUS', 'RISK', 'DUE/OUTCOME', 'ASKED BY', 'TITLE'], ...rows])) ctx.out(line);
    return 0;
  },
};

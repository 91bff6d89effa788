import type { DecisionView, EventEnvelope } from '../client/views.ts';

/** Rows as aligned columns, two spaces apart; the last column is not padded. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}

/** JSON on one line, cut to `max` characters. */
export function shortJson(value: unknown, max = 100): string {
  const json = JSON.stringify(value) ?? '';
  return json.length > max ? `${json.slice(0, max - 1)}…` : json;
}

/** One line per event: seq, time of day (UTC), type, agent, and the start of its data. */
export function eventLine(event: EventEnvelope): string {
  const time = event.recordedAt.slice(11, 23) || event.recordedAt;
  return [String(event.seq).padStart(6), time, event.type.padEnd(24), (event.agentId ?? '-').padEnd(16), shortJson(event.data)].join('  ');
}

/** How far `iso` is from `now`, in the largest whole unit: `in 5m`, `12s ago`. */
export function relative(iso: string | null, now = Date.now()): string {
  if (iso === null) return '-';
  const ms = Date.parse(iso) - now;
  const seconds = Math.round(Math.abs(ms) / 1000);
  const amount = seconds < 120 ? `${seconds}s` : seconds < 7200 ? `${Math.round(seconds / 60)}m` : seconds < 172_800 ? `${Math.round(seconds / 3600)}h` : `${Math.round(seconds / 86_400)}d`;
  return ms >= 0 ? `in ${amount}` : `${amount} ago`;
}

/** A decision's answer in words: `approve by ann (operator:tok_1): ship it`, or how it ended unanswered. */
export function decisionOutcome(decision: DecisionView, resolverName?: string): string {
  const comment = decision.comment ? `: ${decision.comment}` : '';
  if (decision.status === 'expired') return `expired: nobody answered ${decision.id} by ${decision.expiresAt}; the hub applied "${decision.outcome}"${comment}`;
  if (decision.status === 'cancelled') return `cancelled: ${decision.id} was withdrawn${comment}`;
  if (decision.status === 'pending') {
    const approvals = decision.approvals.length;
    return `pending: ${decision.id} has ${approvals} approval${approvals === 1 ? '' : 's'}${decision.risk === 'red' ? ' of the 2 a red decision needs' : ''}`;
  }
  const by = decision.resolvedBy && resolverName && resolverName !== decision.resolvedBy ? `${resolverName} (${decision.resolvedBy})` : decision.resolvedBy;
  return `${decision.outcome}${by ? ` by ${by}` : ''}${comment}`;
}

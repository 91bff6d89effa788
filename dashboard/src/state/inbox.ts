import type { DecisionView, Risk } from './types.ts';

/** Most urgent first: what the inbox sorts pending decisions by before their deadlines. */
const urgency: Readonly<Record<Risk, number>> = { red: 0, high: 1, medium: 2, low: 3 };

/** Pending decisions as an operator should take them: by risk (red, high, medium, low), then soonest deadline first. */
export function byUrgency(a: DecisionView, b: DecisionView): number {
  return urgency[a.risk] - urgency[b.risk] || a.expiresAt.localeCompare(b.expiresAt) || a.id.localeCompare(b.id);
}

/** The inbox: pending decisions first (most urgent risk first, then soonest deadline), then the settled ones, newest first. */
export function inboxOrder(decisions: ReadonlyMap<string, DecisionView>): { pending: DecisionView[]; history: DecisionView[] } {
  const all = [...decisions.values()];
  const pending = all.filter((d) => d.status === 'pending').sort(byUrgency);
  const settledAt = (d: DecisionView) => d.resolvedAt ?? d.createdAt ?? d.expiresAt;
  const history = all.filter((d) => d.status !== 'pending').sort((a, b) => settledAt(b).localeCompare(settledAt(a)));
  return { pending, history };
}

/** How many operators must approve: two different ones for `red`, else one. */
export function approvalsNeeded(decision: DecisionView): number {
  return decision.risk === 'red' ? 2 : 1;
}

/** "1 of 2 approvals" for a red decision; undefined for the others, which one answer settles. */
export function approvalProgress(decision: DecisionView): string | undefined {
  if (decision.risk !== 'red') return undefined;
  return `${decision.approvals.length} of ${approvalsNeeded(decision)} approvals`;
}

/** The answers to offer: the asker's own (a healer's escalation: retry, abandon), approve and deny first when offered; a red decision takes only approve and deny. */
export function answerOptions(decision: DecisionView): string[] {
  if (decision.risk === 'red') return ['approve', 'deny'];
  return [...decision.options.filter((o) => o === 'approve'), ...decision.options.filter((o) => o === 'deny'), ...decision.options.filter((o) => o !== 'approve' && o !== 'deny')];
}

/** True when `actor` already approved (a red decision needs a second, different operator). */
export function approvedBy(decision: DecisionView, actor: string): boolean {
  return decision.approvals.some((a) => a.by === actor);
}

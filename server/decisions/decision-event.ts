/** The key the hub derives for a decision event: one event of each kind per decision. */
export function decisionKey(decisionId: string, kind: 'requested' | 'resolved' | 'expired' | 'escalation'): string {
  return `decision:${decisionId}:${kind}`;
}

/** The key of the hub's cancel of a decision because of `causeId` (its asker's end): one per cause. */
export function cancelKey(decisionId: string, causeId: string): string {
  return `decision:${decisionId}:cancelled-by:${causeId}`;
}

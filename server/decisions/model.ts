import { customAlphabet } from 'nanoid';
import type { OnTimeout, Risk } from '../../contracts/vocabulary.ts';
import type { Change } from '../log/command.ts';

/** A decision as the inbox shows it (the API view), which is also the state the rules decide on. */
export type { Approval, DecisionView as Decision } from '../../contracts/views.ts';
import type { DecisionView as Decision } from '../../contracts/views.ts';

/** What an asker wants decided, with its id and deadline already fixed. */
export interface DecisionAsk {
  id: string;
  title: string;
  context: string;
  options: string[];
  risk: Risk;
  expiresAt: string;
  onTimeout: OnTimeout;
  agentId: string | null;
  taskId: string | null;
  /** The project asked for it; its agent's or task's wins (see the projection). */
  projectId?: string;
  /** For a coding agent's tool call, the tool. */
  tool?: string;
}

/** An event a decision rule decided on: always about one decision. */
export interface DecisionChange extends Change {
  type: 'decision.requested' | 'decision.approved_once' | 'decision.resolved' | 'decision.expired' | 'decision.cancelled';
  decisionId: string;
  data: Record<string, unknown>;
}

/** A stored decision event, as the view folds it. */
export interface DecisionFact {
  type: string;
  decisionId: string;
  actor: string;
  agentId: string | null;
  taskId: string | null;
  recordedAt: string;
  data: Record<string, unknown>;
}

/** The answers a decision takes: approve, deny and its own options. */
export function validOutcomes(decision: Pick<Decision, 'options'>): string[] {
  return [...new Set(['approve', 'deny', ...decision.options])];
}

/** The event data schemas' limits, which derived titles and contexts must keep. */
export const limits = { title: 200, context: 16_000, reason: 4000 } as const;

/** The first `max` characters as the schemas count them (code points, so no surrogate pair is split). */
export function clip(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : points.slice(0, max).join('');
}

const suffix = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 16);

/** A new decision id: `dec_` and 16 letters or digits. */
export function newDecisionId(): string {
  return `dec_${suffix()}`;
}

/** The key the hub derives for a decision event: one event of each kind per decision. */
export function decisionKey(decisionId: string, kind: 'requested' | 'resolved' | 'expired' | 'escalation'): string {
  return `decision:${decisionId}:${kind}`;
}

/** The key of the hub's cancel of a decision because of `causeId` (its asker's end): one per cause. */
export function cancelKey(decisionId: string, causeId: string): string {
  return `decision:${decisionId}:cancelled-by:${causeId}`;
}

import { answerOptions, approvedBy } from './inbox.ts';
import { problemText } from './problem.ts';
import { Store } from './store.ts';
import type { DecisionView, Risk } from './types.ts';

// Taking many decisions in a row: grouping, the keyboard's cursor, and bulk answers.

export const groupings = ['none', 'agent', 'project'] as const;
export type InboxGrouping = (typeof groupings)[number];

/** A grouping as stored (localStorage); anything unknown is `none`. */
export function parseInboxGrouping(stored: string | null): InboxGrouping {
  return (groupings as readonly (string | null)[]).includes(stored) ? (stored as InboxGrouping) : 'none';
}

const groupingKey = 'mission-control.inbox-grouping';

/** The operator's grouping, read from `storage` and written back on every change. */
export function rememberedGrouping(storage: Pick<Storage, 'getItem' | 'setItem'>): Store<InboxGrouping> {
  const grouping = new Store(parseInboxGrouping(storage.getItem(groupingKey)));
  grouping.subscribe((value) => storage.setItem(groupingKey, value));
  return grouping;
}

export interface DecisionGroup {
  /** The agent's or project's id; null for decisions about no agent (and the one group of `none`). */
  key: string | null;
  decisions: DecisionView[];
}

/** `pending` (already in inbox order) in groups; a group comes where its most urgent decision would, and keeps the order inside. */
export function groupDecisions(pending: readonly DecisionView[], by: InboxGrouping): DecisionGroup[] {
  if (by === 'none') return [{ key: null, decisions: [...pending] }];
  const groups = new Map<string | null, DecisionView[]>();
  for (const d of pending) {
    const key = by === 'agent' ? d.agentId : d.projectId;
    const group = groups.get(key);
    if (group) group.push(d);
    else groups.set(key, [d]);
  }
  return [...groups].map(([key, decisions]) => ({ key, decisions }));
}

/** The decision `step` away from `current` in `ids` (the order on screen), stopping at either end; the first when nothing is focused. */
export function moveFocus(ids: readonly string[], current: string | undefined, step: 1 | -1): string | undefined {
  const at = current === undefined ? -1 : ids.indexOf(current);
  if (at < 0) return ids[0];
  return ids[Math.min(ids.length - 1, Math.max(0, at + step))];
}

/** Where the focus goes once `answered` is answered: the next decision still pending after it on screen, else the one before. */
export function focusAfterAnswer(before: readonly string[], answered: string, pendingNow: readonly string[]): string | undefined {
  const still = new Set(pendingNow);
  still.delete(answered);
  const at = before.indexOf(answered);
  const after = before.slice(at + 1).find((id) => still.has(id));
  return after ?? before.slice(0, Math.max(0, at)).reverse().find((id) => still.has(id)) ?? pendingNow.find((id) => id !== answered);
}

export type TriageAction = 'next' | 'previous' | 'approve' | 'deny' | 'comment';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  /** The key went to a text field, a select or an open dialog: it is theirs. */
  typing: boolean;
}

const keys: Readonly<Record<string, TriageAction>> = { j: 'next', k: 'previous', a: 'approve', d: 'deny', c: 'comment' };

/** What a key press does in the inbox: j/k for everyone, a/d/c only for those who may answer; nothing with a modifier or while typing. */
export function triageAction(press: KeyPress, canAct: boolean): TriageAction | undefined {
  if (press.typing || press.ctrlKey || press.metaKey || press.altKey || press.shiftKey) return undefined;
  const action = keys[press.key];
  if (action === undefined || (!canAct && action !== 'next' && action !== 'previous')) return undefined;
  return action;
}

/** The outcome `a` or `d` gives `decision` for `actor`: none for a healer's escalation (its own options), nor `a` for a red one this operator approved already. */
export function keyOutcome(decision: DecisionView, action: 'approve' | 'deny', actor: string): string | undefined {
  if (!answerOptions(decision).includes(action)) return undefined;
  if (action === 'approve' && approvedBy(decision, actor)) return undefined;
  return action;
}

/** Why `decision` cannot be answered in bulk, or undefined when it can. */
export function bulkExclusion(decision: DecisionView): string | undefined {
  if (decision.risk === 'red') return 'A red decision needs two different operators, each answering it on its own';
  if (!answerOptions(decision).includes('approve')) return `Answered only with its own options (${decision.options.join(', ')})`;
  return undefined;
}

/** The selected decisions that can still be answered in bulk, in `pending`'s order (answered, expired or excluded ones drop out). */
export function selectedPending(selected: ReadonlySet<string>, pending: readonly DecisionView[]): DecisionView[] {
  return pending.filter((d) => selected.has(d.id) && bulkExclusion(d) === undefined);
}

/** The ids of every pending decision of `risk` that can be answered in bulk. */
export function selectableOfRisk(pending: readonly DecisionView[], risk: Risk): string[] {
  return pending.filter((d) => d.risk === risk && bulkExclusion(d) === undefined).map((d) => d.id);
}

export interface BulkResult {
  answered: string[];
  /** Each failure on its own (one answered meanwhile: 409), the others answered all the same. */
  failed: { id: string; problem: string }[];
}

/** Answers each of `ids` in turn through `resolve` (the hub has no bulk answer); one failure does not stop the rest. */
export async function answerEach(ids: readonly string[], resolve: (id: string) => Promise<unknown>): Promise<BulkResult> {
  const result: BulkResult = { answered: [], failed: [] };
  for (const id of ids) {
    try {
      await resolve(id);
      result.answered.push(id);
    } catch (error) {
      result.failed.push({ id, problem: problemText(error) });
    }
  }
  return result;
}

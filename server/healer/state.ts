import type { TraceContext } from '../../contracts/trace-context.ts';
import type { HealAction } from '../../contracts/vocabulary.ts';

/** Who and what a heal is about: enough to act again and to report, long after the event. */
export interface HealTarget {
  failureEventId: string;
  failureType: string;
  /** The root failure's event id: agents the healer respawns inherit it, so their attempts add up. */
  lineage: string;
  agentId?: string;
  taskId?: string;
  /** One line naming the failure (describeFailure). */
  summary: string;
  /** The failure's W3C trace, when it was logged in one. */
  trace?: TraceContext;
}

/** A failure handed to a human, kept under the decision the hub opened for it. */
export interface OpenEscalation extends HealTarget {
  playbook?: string;
  /** What a `retry` answer runs. */
  action: HealAction;
  attempts: number;
}

export type CallbackType = 'heal.completed' | 'heal.escalated';

/** A signed callback not yet acknowledged by the hub. */
export interface OutboxEntry {
  /** Derived from the failure and the outcome, so a re-sent callback is deduplicated by the hub. */
  webhookId: string;
  type: CallbackType;
  data: Record<string, unknown>;
  queuedAt: string;
  /** heal.escalated only: remembered under the decision id the hub answers with. */
  escalation?: OpenEscalation;
  /** The failure's W3C trace: the callback is sent in a span of it. */
  trace?: TraceContext;
}

/** Everything the healer must not forget across restarts (the state file). */
export interface HealerState {
  version: 1;
  /** The seq of the last event fully handled. */
  cursor: number;
  /** The log the cursor belongs to (the hub's `logId`); unset until the first stream names it. */
  logId?: string;
  /** Agent id -> lineage (root failure event id). */
  lineages: Record<string, string>;
  /** Lineage -> playbook name -> attempts used. */
  attempts: Record<string, Record<string, number>>;
  /** Lineage -> when the healer last acted on it (ISO): one quiet for `forgetAfterMs` has ended and is forgotten. */
  lastActiveAt: Record<string, string>;
  /** Decision id -> the escalation it answers. */
  escalations: Record<string, OpenEscalation>;
  outbox: OutboxEntry[];
}

export type HealOutcome =
  | { kind: 'healed'; target: HealTarget; playbook: string; action: HealAction; attempt: number; spawnedAgentId?: string }
  | { kind: 'escalated'; target: HealTarget; reason: string; playbook?: string; action: HealAction; attempts: number };

/** What handling one event changes; empty for events that are none of the healer's business. */
export interface EventEffect {
  outcome?: HealOutcome;
  /** The escalation (decision id) the event settled. */
  closes?: string;
  /** An escalation whose decision expired into a new one. */
  moves?: { from: string; to: string };
  /** A lineage that healed: one of its agents exited cleanly. */
  ends?: string;
}

export function emptyState(): HealerState {
  return { version: 1, cursor: 0, lineages: {}, attempts: {}, lastActiveAt: {}, escalations: {}, outbox: [] };
}

/** The state for following a log from its beginning: the hub serves another log, or one that ends before the cursor. */
export function startOver(state: HealerState): HealerState {
  const { logId: _forgotten, ...rest } = state;
  return { ...rest, cursor: 0 };
}

/** The callback an outcome owes the hub, keyed so that handling the same event twice queues the same message. */
export function callbackOf(outcome: HealOutcome, now: Date): OutboxEntry {
  const { target } = outcome;
  if (outcome.kind === 'healed') {
    return {
      webhookId: `heal_${target.failureEventId}_${outcome.attempt}_completed`,
      type: 'heal.completed',
      data: { failureEventId: target.failureEventId, playbook: outcome.playbook, action: outcome.action, attempts: outcome.attempt },
      queuedAt: now.toISOString(),
      ...(target.trace ? { trace: target.trace } : {}),
    };
  }
  const optional = outcome.playbook !== undefined ? { playbook: outcome.playbook } : {};
  return {
    webhookId: `heal_${target.failureEventId}_${outcome.attempts}_escalated`,
    type: 'heal.escalated',
    data: { failureEventId: target.failureEventId, reason: outcome.reason, ...optional, attempts: outcome.attempts },
    queuedAt: now.toISOString(),
    escalation: { ...target, ...optional, action: outcome.action, attempts: outcome.attempts },
    ...(target.trace ? { trace: target.trace } : {}),
  };
}

/**
 * The state after an event: its effect applied, its callback queued, the cursor past it, and the
 * lineages that ended forgotten (healed or abandoned now, or quiet for `forgetAfterMs`). All or nothing, no I/O.
 */
export function applyEffect(state: HealerState, effect: EventEffect, seq: number, now: Date, forgetAfterMs: number): HealerState {
  const next: HealerState = { ...state, cursor: Math.max(state.cursor, seq) };
  // An answer that tries nothing more (abandon, deny, cancel) ends the failure's lineage.
  const abandoned = effect.closes !== undefined && !effect.outcome ? state.escalations[effect.closes]?.lineage : undefined;
  if (effect.closes !== undefined || effect.moves !== undefined) {
    const escalations = { ...state.escalations };
    if (effect.moves && escalations[effect.moves.from]) {
      escalations[effect.moves.to] = escalations[effect.moves.from]!;
      delete escalations[effect.moves.from];
    }
    if (effect.closes !== undefined) delete escalations[effect.closes];
    next.escalations = escalations;
  }
  const outcome = effect.outcome;
  if (outcome) {
    const { lineage, agentId } = outcome.target;
    const lineages = { ...state.lineages };
    if (agentId) lineages[agentId] = lineage;
    if (outcome.kind === 'healed' && outcome.spawnedAgentId) lineages[outcome.spawnedAgentId] = lineage;
    next.lineages = lineages;
    next.lastActiveAt = { ...state.lastActiveAt, [lineage]: now.toISOString() };
    const used = outcome.kind === 'healed' ? outcome.attempt : outcome.attempts;
    if (outcome.playbook !== undefined && used > 0) {
      const perPlaybook = { ...state.attempts[lineage] };
      perPlaybook[outcome.playbook] = Math.max(perPlaybook[outcome.playbook] ?? 0, used);
      next.attempts = { ...state.attempts, [lineage]: perPlaybook };
    }
    const callback = callbackOf(outcome, now);
    // Handling an event again (after a crash before the cursor was saved) must not queue its callback twice.
    next.outbox = state.outbox.some((e) => e.webhookId === callback.webhookId) ? state.outbox : [...state.outbox, callback];
  }
  return forgetEnded(next, now, forgetAfterMs, [abandoned, effect.ends].filter((lineage) => lineage !== undefined));
}

/**
 * Drops the lineages that ended: those in `endedNow`, and every one quiet for `forgetAfterMs`, unless an
 * escalation (open, or still in the outbox) waits on it. A failure in a forgotten lineage starts
 * a new one, with every attempt available again. The same state object when nothing ended.
 */
export function forgetEnded(state: HealerState, now: Date, forgetAfterMs: number, endedNow: readonly string[] = []): HealerState {
  const waiting = new Set([...Object.values(state.escalations), ...state.outbox.flatMap((e) => (e.escalation ? [e.escalation] : []))].map((e) => e.lineage));
  const known = new Set([...Object.values(state.lineages), ...Object.keys(state.attempts), ...Object.keys(state.lastActiveAt)]);
  const cutoff = now.getTime() - forgetAfterMs;
  const ended = new Set<string>();
  const lastActiveAt: Record<string, string> = {};
  for (const lineage of known) {
    // A lineage from a state file written before lastActiveAt existed counts as active now.
    const at = state.lastActiveAt[lineage] ?? now.toISOString();
    const over = endedNow.includes(lineage) || Date.parse(at) <= cutoff;
    if (over && !waiting.has(lineage)) ended.add(lineage);
    else lastActiveAt[lineage] = at;
  }
  if (ended.size === 0 && Object.keys(lastActiveAt).length === Object.keys(state.lastActiveAt).length) return state;
  const lineages = Object.fromEntries(Object.entries(state.lineages).filter(([, lineage]) => !ended.has(lineage)));
  const attempts = Object.fromEntries(Object.entries(state.attempts).filter(([lineage]) => !ended.has(lineage)));
  return { ...state, lineages, attempts, lastActiveAt };
}

/** The callback left the outbox: the hub took it (and, for an escalation, opened `decisionId`) or refused it for good. */
export function acknowledge(state: HealerState, webhookId: string, decisionId?: string): HealerState {
  const entry = state.outbox.find((e) => e.webhookId === webhookId);
  if (!entry) return state;
  const next = { ...state, outbox: state.outbox.filter((e) => e !== entry) };
  if (decisionId !== undefined && entry.escalation) next.escalations = { ...state.escalations, [decisionId]: entry.escalation };
  return next;
}

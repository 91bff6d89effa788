import type { Transaction } from 'kysely';
import type { EventEnvelope } from '../../contracts/index.ts';
import type { Database } from '../db/schema.ts';

/** An event checked and ready to be written: everything but its position and time. */
export interface NewEvent {
  id: string;
  type: string;
  actor: string;
  agentId: string | null;
  taskId: string | null;
  decisionId: string | null;
  correlationId: string | null;
  causationId: string | null;
  traceId: string | null;
  spanId: string | null;
  idempotencyKey: string;
  /** False when the hub made the key up: such a key cannot exist yet. */
  keyFromClient: boolean;
  payloadHash: string;
  data: Record<string, unknown>;
  /** `data` serialised once, canonically. */
  dataJson: string;
}

/** An event as read back from the log, with its wire form built once for every reader. */
export interface EventFrame {
  seq: number;
  type: string;
  agentId: string | null;
  taskId: string | null;
  /** The envelope as JSON text. */
  wire: string;
}

/** A view that folds the log, written in the same transaction as the events it folds. */
export interface Projection {
  name: string;
  /**
   * The events `apply` or `react` may act on, by the same tests they make; every other event skips
   * both, in the append path and the rebuild. Unset: every event. Most of a fleet's events (output
   * lines, custom events) concern one view or none, and each call skipped is an await saved.
   */
  concerns?(event: EventEnvelope): boolean;
  /** Folds one event into the view's rows. Also used by the rebuild, so it must not append. */
  apply(trx: Transaction<Database>, event: EventEnvelope): Promise<void>;
  /**
   * Consecutive events this view alone concerns that it can fold in one call (a busy agent's
   * output lines, say): `joins(previous, next)` says `next` continues the run, and `apply` folds
   * the run, leaving the rows `apply` of each in turn would.
   */
  run?: {
    joins(previous: EventEnvelope, next: EventEnvelope): boolean;
    apply(trx: Transaction<Database>, events: readonly EventEnvelope[]): Promise<void>;
  };
  /** Events the hub appends in answer to this one (after every projection applied it), keyed by their cause. */
  react?(trx: Transaction<Database>, event: EventEnvelope): Promise<NewEvent[]>;
  /** The view's tables, emptied before a rebuild. */
  tables?: readonly string[];
  /** Checks an event it `applies` to against the view before it is written; a HubError refuses its request. */
  guard?: {
    applies(event: NewEvent): boolean;
    check(trx: Transaction<Database>, event: NewEvent): Promise<void>;
  };
}

/** True when `projection` may act on `event` (see `Projection.concerns`). */
export function concerns(projection: Projection, event: EventEnvelope): boolean {
  return projection.concerns === undefined || projection.concerns(event);
}

/**
 * Folds events into the views in order, each into every view it concerns: the append path's and
 * the rebuild's one way. A run of consecutive events that one view alone concerns, and that its
 * `run` joins, is folded in one call (one statement for a batch of an agent's output lines
 * instead of one per line).
 */
export async function applyEvents(trx: Transaction<Database>, projections: readonly Projection[], envelopes: readonly EventEnvelope[]): Promise<void> {
  for (let i = 0; i < envelopes.length; ) {
    const concerned = projections.filter((p) => concerns(p, envelopes[i]!));
    const run = concerned.length === 1 ? concerned[0]!.run : undefined;
    let end = i + 1;
    if (run) while (end < envelopes.length && run.joins(envelopes[end - 1]!, envelopes[end]!) && alone(projections, concerned[0]!, envelopes[end]!)) end++;
    if (end - i > 1) await run!.apply(trx, envelopes.slice(i, end));
    else for (const projection of concerned) await projection.apply(trx, envelopes[i]!);
    i = end;
  }
}

/** True when `projection` is the only one of `projections` that `event` concerns. */
function alone(projections: readonly Projection[], projection: Projection, event: EventEnvelope): boolean {
  return projections.every((p) => p === projection || !concerns(p, event));
}

/** The subjects and tracing ids of an event, null where it has none. */
export type EventSubjects = Pick<NewEvent, 'agentId' | 'taskId' | 'decisionId' | 'correlationId' | 'causationId' | 'traceId' | 'spanId'>;

/** An envelope object, with the subjects it has and none of the ones it has not. */
export function envelope(head: Pick<EventEnvelope, 'seq' | 'id' | 'type' | 'actor' | 'recordedAt' | 'data'>, subjects: EventSubjects): EventEnvelope {
  const result: EventEnvelope = { seq: head.seq, id: head.id, type: head.type, actor: head.actor, recordedAt: head.recordedAt, data: head.data };
  if (subjects.agentId !== null) result.agentId = subjects.agentId;
  if (subjects.taskId !== null) result.taskId = subjects.taskId;
  if (subjects.decisionId !== null) result.decisionId = subjects.decisionId;
  if (subjects.correlationId !== null) result.correlationId = subjects.correlationId;
  if (subjects.causationId !== null) result.causationId = subjects.causationId;
  if (subjects.traceId !== null) result.traceId = subjects.traceId;
  if (subjects.spanId !== null) result.spanId = subjects.spanId;
  return result;
}

/** The envelope object of a freshly written event, for projections; `recordedAt` as ISO text. */
export function envelopeOf(e: NewEvent, seq: number, recordedAt: string): EventEnvelope {
  return envelope({ seq, id: e.id, type: e.type, actor: e.actor, recordedAt, data: e.data }, e);
}

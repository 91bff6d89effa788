import type { Kysely, Transaction } from 'kysely';
import type { AppendReceipt } from '../../contracts/index.ts';
import type { Database } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import { keyAsSent } from './check-append.ts';
import { type NewEvent, type Projection, applyEvents, concerns, envelopeOf } from './event.ts';
import { type KeyedEvent, findByIdempotencyKeys } from './find-by-keys.ts';
import { insertEvents } from './insert-events.ts';
import { releaseInsertLock, takeLogLock } from './lock.ts';

/**
 * Decides, inside the append transaction and after the log lock, which events to append: it
 * reads views that no one else can change until it commits. A HubError refuses this request only.
 */
export type Command = (trx: Transaction<Database>) => Promise<NewEvent[]>;

/** One request in a group: events to append as they are, or a command that decides them. */
export type AppendWork = { events: NewEvent[] } | { command: Command };

export interface GroupResult {
  outcomes: Array<AppendReceipt[] | HubError>;
  lastSeq: number;
  written: number;
  /** The types of the events written. */
  types: Set<string>;
}

/**
 * Thrown out of a group's transaction when an event's key turned out to be stored already with
 * another payload: its request's other events may be written, so the transaction must not commit.
 */
export class KeyTaken extends Error {
  readonly conflict: HubError;
  constructor(conflict: HubError) {
    super(conflict.message);
    this.conflict = conflict;
  }
}

/**
 * The log as one group's transaction sees it: whether it holds the log locks every append takes
 * (so commits come in `seq` order), taken once, by the first read of a view or, folded into it,
 * by the first insert; and the channel each insert wakes at commit.
 */
export interface GroupLog {
  notifyChannel: string;
  locked: boolean;
}

async function holdLock(trx: Transaction<Database>, log: GroupLog): Promise<void> {
  if (log.locked) return;
  await takeLogLock(trx);
  log.locked = true;
}

// Reactions may cause reactions (a spend crosses a limit, which pauses an agent); this bounds the chain.
const maxReactionDepth = 4;

/**
 * Writes a group in request order: runs of plain appends share one insert; a command, or an
 * append a view guards, runs alone, seeing everything written before it in this transaction,
 * its keys looked up under the lock first. A run's insert skips keys already stored, and only
 * then are they looked up: a retry of the same payload is answered with the stored event, another
 * payload throws `KeyTaken`. Every event is projected, then the projections' reactions are
 * appended in the same transaction.
 */
export async function writeGroup(trx: Transaction<Database>, works: AppendWork[], projections: readonly Projection[], log: GroupLog): Promise<GroupResult> {
  const result: GroupResult = { outcomes: [], lastSeq: 0, written: 0, types: new Set() };
  const guards = projections.flatMap((p) => (p.guard ? [p.guard] : []));
  const guarded = (events: NewEvent[]) => events.some((e) => guards.some((g) => g.applies(e)));
  // Commands and guarded appends go alone, so what they read includes every request before them.
  const alone = (work: AppendWork) => 'command' in work || guarded(work.events);
  let i = 0;
  while (i < works.length) {
    const work = works[i]!;
    if (alone(work)) {
      try {
        await holdLock(trx, log);
        const events = 'command' in work ? await work.command(trx) : work.events;
        for (const e of events) for (const g of guards) if (g.applies(e)) await g.check(trx, e);
        result.outcomes.push(...(await writeRequests(trx, [events], projections, log, result, false)));
      } catch (error) {
        if (!(error instanceof HubError)) throw error;
        result.outcomes.push(error);
      }
      i += 1;
      continue;
    }
    const run: NewEvent[][] = [];
    while (i < works.length && !alone(works[i]!)) run.push((works[i++] as { events: NewEvent[] }).events);
    result.outcomes.push(...(await writeRequests(trx, run, projections, log, result, true)));
  }
  return result;
}

/**
 * Writes a group of plain appends that no view guards, folds or answers, and that holds no key
 * twice, with one statement outside any transaction: it takes the insert lock, writes, queues
 * the wake-up and commits in one round trip, and lets the insert lock go before its commit is
 * flushed, so the next group inserts meanwhile (lock.ts). Undefined,
 * with nothing written, when the group is not such, or when a key turned out to be stored already
 * (the statement then fails whole): `writeGroup` in a transaction tells a retry from a conflict.
 */
export async function writeInsertOnly(db: Kysely<Database>, works: AppendWork[], projections: readonly Projection[], log: Omit<GroupLog, 'locked'>): Promise<GroupResult | undefined> {
  const requests: NewEvent[][] = [];
  const keys = new Set<string>();
  const at = new Date().toISOString();
  for (const work of works) {
    if ('command' in work) return undefined;
    for (const e of work.events) {
      if (keys.has(e.idempotencyKey)) return undefined;
      keys.add(e.idempotencyKey);
      // `concerns` and a guard's `applies` look at what an event says, not at its seq or time, which are not drawn yet.
      const head = envelopeOf(e, 0, at);
      for (const p of projections) if (p.guard?.applies(e) || concerns(p, head)) return undefined;
    }
    requests.push(work.events);
  }
  let seqs: number[];
  try {
    ({ seqs } = await db.connection().execute(async (conn) => {
      try {
        return await insertEvents(conn, requests.flat(), { lock: 'statement', notifyChannel: log.notifyChannel, skipStored: false });
      } catch (error) {
        await releaseInsertLock(conn);
        throw error;
      }
    }));
  } catch (error) {
    if ((error as { code?: unknown }).code === uniqueViolation) return undefined;
    throw error;
  }
  const result: GroupResult = { outcomes: [], lastSeq: seqs.at(-1) ?? 0, written: seqs.length, types: new Set() };
  let i = 0;
  for (const events of requests) {
    result.outcomes.push(
      events.map((e) => {
        result.types.add(e.type);
        return { id: e.id, seq: seqs[i++]!, deduped: false };
      }),
    );
  }
  return result;
}

/** PostgreSQL's code for a unique index refusing a row. */
const uniqueViolation = '23505';

/**
 * Plans and writes several requests' events; a request whose key collides is refused alone.
 * `optimistic`: keys are not looked up first, only those the insert finds stored.
 */
async function writeRequests(trx: Transaction<Database>, requests: NewEvent[][], projections: readonly Projection[], log: GroupLog, result: GroupResult, optimistic: boolean): Promise<Array<AppendReceipt[] | HubError>> {
  const clientKeys = requests.flatMap((events) => events.filter((e) => e.keyFromClient).map((e) => e.idempotencyKey));
  const stored = clientKeys.length === 0 || optimistic ? new Map<string, KeyedEvent>() : await lookUpLocked(trx, clientKeys, log);
  const planned = new Map<string, NewEvent>();
  const toInsert: NewEvent[] = [];
  const plans = requests.map((events) => {
    const plan: Array<{ stored: { id: string; seq: number } } | { fresh: NewEvent }> = [];
    for (const e of events) {
      const earlier = stored.get(e.idempotencyKey) ?? planned.get(e.idempotencyKey);
      if (earlier === undefined) plan.push({ fresh: e });
      else if (earlier.payloadHash !== e.payloadHash) return conflict(e);
      else plan.push('seq' in earlier ? { stored: earlier } : { fresh: earlier });
    }
    for (const step of plan) {
      if ('fresh' in step && !planned.has(step.fresh.idempotencyKey)) {
        planned.set(step.fresh.idempotencyKey, step.fresh);
        toInsert.push(step.fresh);
      }
    }
    return plan;
  });
  const held = await writeAndProject(trx, toInsert, projections, log, result, 0);

  // A fresh event seen earlier in these requests is a retry for every request but the first.
  const claimed = new Set<string>();
  return plans.map((plan) => {
    if (plan instanceof HubError) return plan;
    return plan.map((step): AppendReceipt => {
      if ('stored' in step) return { id: step.stored.id, seq: step.stored.seq, deduped: true };
      const key = step.fresh.idempotencyKey;
      const holder = held.get(key)!;
      const deduped = claimed.has(key) || holder.id !== step.fresh.id;
      claimed.add(key);
      return { id: holder.id, seq: holder.seq, deduped };
    });
  });
}

/**
 * Inserts, projects, then appends what the projections react with; returns the event that holds
 * each key: the one given, or one stored before with the same payload (not written again, not
 * projected). A key stored before with another payload throws `KeyTaken`.
 */
async function writeAndProject(trx: Transaction<Database>, given: NewEvent[], projections: readonly Projection[], log: GroupLog, result: GroupResult, depth: number): Promise<Map<string, KeyedEvent>> {
  if (given.length === 0) return new Map();
  const inserted = await insertEvents(trx, given, { lock: log.locked ? 'held' : 'transaction', notifyChannel: log.notifyChannel, skipStored: true });
  log.locked = true;
  const { events, seqs, held } = inserted.seqs.length === given.length ? { events: given, seqs: inserted.seqs, held: new Map<string, KeyedEvent>() } : await keptOf(trx, given);
  events.forEach((e, i) => {
    held.set(e.idempotencyKey, { id: e.id, seq: seqs[i]!, payloadHash: e.payloadHash });
    result.types.add(e.type);
  });
  if (events.length === 0) return held;
  result.lastSeq = seqs.at(-1)!;
  result.written += events.length;
  if (projections.length === 0) return held;

  const at = inserted.recordedAt.toISOString();
  const envelopes = events.map((e, i) => envelopeOf(e, seqs[i]!, at));
  await applyEvents(trx, projections, envelopes);
  const reactions: NewEvent[] = [];
  for (const envelope of envelopes) {
    for (const projection of projections) if (projection.react && concerns(projection, envelope)) reactions.push(...(await projection.react(trx, envelope)));
  }
  if (reactions.length > 0) {
    if (depth >= maxReactionDepth) throw new Error(`reactions went deeper than ${maxReactionDepth} levels`);
    // The hub's own events carry keys derived from what caused them: one already stored happened already.
    const stored = await findByIdempotencyKeys(trx, reactions.map((e) => e.idempotencyKey));
    const seen = new Set<string>();
    const fresh = reactions.filter((e) => !stored.has(e.idempotencyKey) && !seen.has(e.idempotencyKey) && seen.add(e.idempotencyKey));
    await writeAndProject(trx, fresh, projections, log, result, depth + 1);
  }
  return held;
}

/**
 * After an insert that skipped stored keys: the events it wrote, with their seqs, in order, and
 * the stored event holding each key skipped; one whose stored payload differs throws `KeyTaken`.
 */
async function keptOf(trx: Transaction<Database>, given: NewEvent[]): Promise<{ events: NewEvent[]; seqs: number[]; held: Map<string, KeyedEvent> }> {
  const stored = await findByIdempotencyKeys(trx, given.map((e) => e.idempotencyKey));
  const kept = { events: [] as NewEvent[], seqs: [] as number[], held: new Map<string, KeyedEvent>() };
  for (const e of given) {
    const holder = stored.get(e.idempotencyKey)!;
    if (holder.id === e.id) {
      kept.events.push(e);
      kept.seqs.push(holder.seq);
    } else if (holder.payloadHash !== e.payloadHash) throw new KeyTaken(conflict(e));
    else kept.held.set(e.idempotencyKey, holder);
  }
  return kept;
}

/** The stored events under `keys`, looked up under the log lock, so no other append can be writing one of them. */
async function lookUpLocked(trx: Transaction<Database>, keys: string[], log: GroupLog): Promise<Map<string, KeyedEvent>> {
  await holdLock(trx, log);
  return findByIdempotencyKeys(trx, keys);
}

function conflict(event: NewEvent): HubError {
  return new HubError('idempotency_conflict', `idempotency key "${keyAsSent(event.idempotencyKey, event.actor)}" was already used for a different event; use a new key for a new event`);
}

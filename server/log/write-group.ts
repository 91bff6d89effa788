import type { Transaction } from 'kysely';
import type { AppendReceipt } from '../../contracts/index.ts';
import type { Database } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import { keyAsSent } from './check-append.ts';
import { type NewEvent, type Projection, concerns, envelopeOf } from './event.ts';
import { type KeyedEvent, findByIdempotencyKeys } from './find-by-keys.ts';
import { insertEvents } from './insert-events.ts';
import { takeLogLock } from './lock.ts';

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
  /** The events written, by idempotency key. */
  keys: Map<string, KeyedEvent>;
}

/** The client keys of a group's appends already stored when the group began, read before the log lock (`lookUpClientKeys`). */
export type StoredKeys = ReadonlyMap<string, KeyedEvent>;

/**
 * The stored events under the client keys of `works`' appends. Read before the log lock, while
 * the group before commits: a key that group stores meanwhile makes this group's insert fail on
 * the unique key, and the group is written again request by request, each looking up under the lock.
 */
export function lookUpClientKeys(trx: Transaction<Database>, works: AppendWork[]): Promise<StoredKeys> {
  const keys = works.flatMap((work) => ('events' in work ? work.events.filter((e) => e.keyFromClient).map((e) => e.idempotencyKey) : []));
  return keys.length > 0 ? findByIdempotencyKeys(trx, keys) : Promise.resolve(new Map());
}

/**
 * The log as one group's transaction sees it: the lock every append transaction takes (so commits
 * come in `seq` order), taken once, by the first read of a view or, folded into it, by the first
 * insert; and the channel each insert wakes at commit.
 */
export interface GroupLog {
  lockKey: number;
  notifyChannel: string;
  locked: boolean;
}

async function holdLock(trx: Transaction<Database>, log: GroupLog): Promise<void> {
  if (log.locked) return;
  await takeLogLock(trx, log.lockKey);
  log.locked = true;
}

// Reactions may cause reactions (a spend crosses a limit, which pauses an agent); this bounds the chain.
const maxReactionDepth = 4;

/**
 * Writes a group in request order: runs of plain appends share one lookup and one insert; a
 * command, or an append a view guards, runs alone, seeing everything written before it in this
 * transaction. Every event is
 * projected, then the projections' reactions are appended in the same transaction. Given
 * `storedBefore`, plain appends take their stored keys from it (and from what this group wrote)
 * instead of looking them up under the lock.
 */
export async function writeGroup(trx: Transaction<Database>, works: AppendWork[], projections: readonly Projection[], log: GroupLog, storedBefore?: StoredKeys): Promise<GroupResult> {
  const result: GroupResult = { outcomes: [], lastSeq: 0, written: 0, types: new Set(), keys: new Map() };
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
        result.outcomes.push(...(await writeRequests(trx, [events], projections, log, result, 'command' in work ? undefined : storedBefore)));
      } catch (error) {
        if (!(error instanceof HubError)) throw error;
        result.outcomes.push(error);
      }
      i += 1;
      continue;
    }
    const run: NewEvent[][] = [];
    while (i < works.length && !alone(works[i]!)) run.push((works[i++] as { events: NewEvent[] }).events);
    result.outcomes.push(...(await writeRequests(trx, run, projections, log, result, storedBefore)));
  }
  return result;
}

/** Plans and writes several requests' events; a request whose key collides is refused alone. */
async function writeRequests(trx: Transaction<Database>, requests: NewEvent[][], projections: readonly Projection[], log: GroupLog, result: GroupResult, storedBefore: StoredKeys | undefined): Promise<Array<AppendReceipt[] | HubError>> {
  const clientKeys = requests.flatMap((events) => events.filter((e) => e.keyFromClient).map((e) => e.idempotencyKey));
  const stored = clientKeys.length === 0 ? new Map<string, KeyedEvent>() : storedBefore ? storedIn(clientKeys, storedBefore, result.keys) : await lookUpLocked(trx, clientKeys, log);
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
  const seqs = await writeAndProject(trx, toInsert, projections, log, result, 0);

  // A fresh event seen earlier in these requests is a retry for every request but the first.
  const claimed = new Set<string>();
  return plans.map((plan) => {
    if (plan instanceof HubError) return plan;
    return plan.map((step): AppendReceipt => {
      if ('stored' in step) return { id: step.stored.id, seq: step.stored.seq, deduped: true };
      const key = step.fresh.idempotencyKey;
      const deduped = claimed.has(key);
      claimed.add(key);
      return { id: step.fresh.id, seq: seqs.get(key)!, deduped };
    });
  });
}

/** Inserts, projects, then appends what the projections react with; returns each key's seq. */
async function writeAndProject(trx: Transaction<Database>, events: NewEvent[], projections: readonly Projection[], log: GroupLog, result: GroupResult, depth: number): Promise<Map<string, number>> {
  if (events.length === 0) return new Map();
  const { seqs, recordedAt } = await insertEvents(trx, events, { lockKey: log.locked ? undefined : log.lockKey, notifyChannel: log.notifyChannel });
  log.locked = true;
  const keySeqs = new Map<string, number>();
  events.forEach((e, i) => {
    keySeqs.set(e.idempotencyKey, seqs[i]!);
    result.keys.set(e.idempotencyKey, { id: e.id, seq: seqs[i]!, payloadHash: e.payloadHash });
    result.types.add(e.type);
  });
  result.lastSeq = seqs.at(-1)!;
  result.written += events.length;
  if (projections.length === 0) return keySeqs;

  const at = recordedAt.toISOString();
  const envelopes = events.map((e, i) => envelopeOf(e, seqs[i]!, at));
  for (const envelope of envelopes) {
    for (const projection of projections) if (concerns(projection, envelope)) await projection.apply(trx, envelope);
  }
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
  return keySeqs;
}

/** The stored events under `keys`, looked up under the log lock, so no other append can be writing one of them. */
async function lookUpLocked(trx: Transaction<Database>, keys: string[], log: GroupLog): Promise<Map<string, KeyedEvent>> {
  await holdLock(trx, log);
  return findByIdempotencyKeys(trx, keys);
}

/** The stored events under `keys`: stored before the group began, or written by it since. */
function storedIn(keys: string[], storedBefore: StoredKeys, written: ReadonlyMap<string, KeyedEvent>): Map<string, KeyedEvent> {
  const found = new Map<string, KeyedEvent>();
  for (const key of keys) {
    const event = storedBefore.get(key) ?? written.get(key);
    if (event !== undefined) found.set(key, event);
  }
  return found;
}

function conflict(event: NewEvent): HubError {
  return new HubError('idempotency_conflict', `idempotency key "${keyAsSent(event.idempotencyKey, event.actor)}" was already used for a different event; use a new key for a new event`);
}

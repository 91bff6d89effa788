import type { Contracts, EventAppend, Origin, SchemaProblem } from '../../contracts/index.ts';
import { HubError, invalidInput } from '../errors.ts';

import type { NewEvent } from './event.ts';
import { newEvent } from './new-event.ts';

// Client keys live in a namespace of their own, so a client can never take a key the hub derives
// for its own events (`decision:<id>:expired`), whatever it sends; inside it each actor has its
// own, so one caller can neither squat nor probe another's keys. The actor, not the token: an
// agent keeps its keys when its token is replaced, and the healer's survive a restart.
function clientKeyPrefix(actor: string): string {
  return `client:${actor}:`;
}

/** The key as the client sent it, for messages. */
export function keyAsSent(storedKey: string, actor: string): string {
  const prefix = clientKeyPrefix(actor);
  return storedKey.startsWith(prefix) ? storedKey.slice(prefix.length) : storedKey;
}

export interface AppendLimits {
  /** Largest `data` of one event, in bytes of JSON. */
  eventDataBytes: number;
}

/** Who appends: the actor recorded, and the one agent an agent token may speak for. */
export interface AppendAuthor {
  actor: string;
  boundAgentId: string | null;
}

export interface AppendRequest {
  body: unknown;
  author: AppendAuthor;
  /** The `Idempotency-Key` header, if sent, already checked at the edge. */
  headerKey: string | undefined;
  /** Becomes the correlation id of events that carry none. */
  origin: Origin;
}

export interface CheckedAppend {
  events: NewEvent[];
  batch: boolean;
}

/**
 * Turns a parsed request body into events ready to write, or throws a 400 that says what to fix.
 * All or nothing: one bad event refuses the whole batch.
 */
export function checkAppend(
  contracts: Contracts,
  limits: AppendLimits,
  request: AppendRequest,): CheckedAppend {
  const { body, author, headerKey } = request;
  const batch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'events' in body;
  const problems = shapeProblems(contracts, body, batch);
  if (problems.length > 0) throw invalidInput(problems);

  const appends = batch ? (body as { events: EventAppend[] }).events : [body as EventAppend];
  if (headerKey !== undefined) {
    if (batch) throw invalidInput([{ path: 'Idempotency-Key header', message: 'cannot be used with a batch: give each event its own idempotencyKey' }]);
    const bodyKey = appends[0]!.idempotencyKey;
    if (bodyKey !== undefined && bodyKey !== headerKey) throw invalidInput([{ path: 'Idempotency-Key header', message: 'differs from the idempotencyKey field; send one of them' }]);
  }

  const seenKeys = new Set<string>();
  const events = appends.map((append, i) => {
    const at = batch ? `/events/${i}` : '';
    const schemaId = contracts.dataSchemaId(append.type);
    if (schemaId === undefined) {
      throw new HubError('unknown_event_type', `${at}/type "${append.type}" is not in the catalog; custom types start with "x."`);
    }
    const dataProblems = contracts.check(schemaId, append.data).map((p) => ({ ...p, path: `${at}/data${p.path}` }));
    if (dataProblems.length > 0) throw invalidInput(dataProblems);
    const key = append.idempotencyKey ?? (batch ? undefined : headerKey);
    if (key !== undefined) {
      if (seenKeys.has(key)) throw invalidInput([{ path: `${at}/idempotencyKey`, message: `"${key}" appears twice in this batch` }]);
      seenKeys.add(key);
    }
    const bound = author.boundAgentId;
    if (bound !== null && append.agentId !== undefined && append.agentId !== bound) {
      throw new HubError('forbidden', `${at}/agentId: an agent token writes events only about its own agent ("${bound}")`);
    }
    const event = prepare(append, bound ?? append.agentId, author.actor, key, request.origin);
    // Measured on the canonical form the log stores; the data schema before it costs time linear in the body.
    if (Buffer.byteLength(event.dataJson) > limits.eventDataBytes) {
      throw invalidInput([{ path: `${at}/data`, message: `is larger than ${limits.eventDataBytes} bytes of JSON` }]);
    }
    return event;
  });
  return { events, batch };
}

/**
 * The body's shape problems: the first of a single event, the first of each bad event of a batch.
 * The count of a batch is checked before any schema, and each check stops at its first problem, so
 * a long list of bad items costs time linear in the body.
 */
function shapeProblems(contracts: Contracts, body: unknown, batch: boolean): SchemaProblem[] {
  if (!batch) return contracts.check('events/append.schema.json', body);
  const { events } = body as { events: unknown };
  const maxEvents = (contracts.schemas['events/append-batch.schema.json'] as { properties: { events: { maxItems: number } } }).properties.events.maxItems;
  if (Array.isArray(events) && events.length > maxEvents) {
    return [{ path: '/events', message: `holds ${events.length} events; send at most ${maxEvents} per request` }];
  }
  const problems = contracts.check('events/append-batch.schema.json', body);
  if (problems.length === 0 || !Array.isArray(events) || !problems[0]!.path.startsWith('/events/')) return problems;
  return events.flatMap((append, i) => contracts.check('events/append.schema.json', append).map((p) => ({ ...p, path: `/events/${i}${p.path}` })));
}

/** The event of a checked append, about `agentId` (the token's own agent for an agent token). Named field by field: a batch makes many. */
function prepare(append: EventAppend, agentId: string | undefined, actor: string, key: string | undefined, origin: Origin): NewEvent {
  return newEvent(
    {
      type: append.type,
      data: append.data,
      actor,
      agentId,
      taskId: append.taskId,
      decisionId: append.decisionId,
      correlationId: append.correlationId,
      causationId: append.causationId,
      idempotencyKey: key === undefined ? undefined : `${clientKeyPrefix(actor)}${key}`,
      checkedAtEdge: true,
    },
    origin,
  );
}


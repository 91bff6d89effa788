import type { Context, MiddlewareHandler } from 'hono';
import type { Contracts } from '../../contracts/index.ts';
import { HubError, invalidInput } from '../errors.ts';
import { unstorableAt } from '../log/storable.ts';
import type { HubEnv } from './env.ts';

/** Turns a parsed body into what the route works with, or throws the 4xx that says what to fix. */
export type BodyParser<T> = (value: unknown, c: Context<HubEnv>) => T | Promise<T>;

/**
 * The edge of every write route: reads the body as JSON the log can store, hands it to `parse`,
 * and gives the route the result as `c.req.valid('json')`. With `optional`, no body at all is `{}`.
 */
export function jsonBody<T>(parse: BodyParser<T>, options: { optional?: boolean } = {}): MiddlewareHandler<HubEnv, string, { out: { json: T } }> {
  return async (c, next) => {
    const raw = options.optional && (await c.req.text()) === '' ? {} : await readJson(c);
    c.req.addValidatedData('json', (await parse(raw, c)) as object);
    await next();
  };
}

/** A parser that checks the body against the schema `schemaId` and types it as `T`. */
export function matching<T>(contracts: Contracts, schemaId: string): BodyParser<T> {
  return (value) => {
    const problems = contracts.check(schemaId, value);
    if (problems.length > 0) throw invalidInput(problems);
    return value as T;
  };
}

/** The `Idempotency-Key` header, checked like a key in a body; undefined when the request sent none. */
export function idempotencyKeyOf(c: Context, contracts: Contracts): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  const problems = contracts.check('events/append.schema.json#/$defs/idempotencyKey', key);
  if (problems.length > 0) throw invalidInput(problems.map((p) => ({ ...p, path: 'Idempotency-Key header' })));
  return key;
}

/** The request body as JSON the log can store, after checking its content type; a 4xx that says what to fix otherwise. */
async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new HubError('unsupported_media_type', `send the body as JSON with "Content-Type: application/json" (got ${type ? `"${type}"` : 'none'})`);
  }
  return parseJson(await c.req.text());
}

/**
 * `text` parsed as JSON, checked before any other work looks at it: no NUL, no unpaired
 * surrogate, no nesting past the limit. Otherwise a 400 that names the field.
 */
export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HubError('invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
  const problem = unstorableAt(value);
  if (problem) throw invalidInput([problem]);
  return value;
}

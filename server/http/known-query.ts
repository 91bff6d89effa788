import type { MiddlewareHandler } from 'hono';
import { HubError } from '../errors.ts';
import type { HubEnv } from './env.ts';

/** Refuses a query parameter not in `known` with a 400 that names the known ones, so a typo is never silently ignored. */
export function checkQuery(query: URLSearchParams, known: readonly string[]): void {
  for (const name of query.keys()) {
    if (known.includes(name)) continue;
    const shown = JSON.stringify(name.slice(0, 40));
    throw new HubError('validation_failed', known.length === 0 ? `unknown query parameter ${shown}: this endpoint takes none` : `unknown query parameter ${shown}; known here: ${known.join(', ')}`);
  }
}

/** `checkQuery` as a route's middleware. */
export function knownQuery(known: readonly string[]): MiddlewareHandler<HubEnv> {
  return async (c, next) => {
    checkQuery(new URL(c.req.url).searchParams, known);
    await next();
  };
}

/** An integer query parameter from `min` to `max`, `fallback` when unset. */
export function parseInteger(name: string, value: string | undefined, fallback: number, min: number, max: number, unit = ''): number {
  if (value === undefined || value === '') return fallback;
  const n = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) {
    throw new HubError('validation_failed', `${name} must be an integer from ${min} to ${max}${unit} (got ${JSON.stringify(value.slice(0, 40))})`);
  }
  return n;
}

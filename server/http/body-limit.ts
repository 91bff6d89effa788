import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HubError } from '../errors.ts';

/**
 * Refuses bodies over `maxBytes` with a 413 problem, before reading them. A declared
 * Content-Length is checked from the header alone (touching the raw body stream would make the
 * Node adapter build a web Request for every POST); a chunked body is counted as it streams in.
 */
export function limitBody(maxBytes: number, advice: string): MiddlewareHandler {
  const tooLarge = (c: Context): never => {
    // The rest of the body is not read, so the connection cannot be reused.
    c.header('connection', 'close');
    throw new HubError('payload_too_large', `the body is larger than ${maxBytes} bytes; ${advice}`);
  };
  const counting = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counting(c, next);
    if (Number(length) > maxBytes) tooLarge(c);
    return next();
  };
}

import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HubError } from '../errors.ts';

/** Refuses bodies over `maxBytes` with a 413 problem, before reading them whole. */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      // The rest of the body is not read, so the connection cannot be reused.
      c.header('connection', 'close');
      throw new HubError(413, 'payload_too_large', `the body is larger than ${maxBytes} bytes; send fewer events per request`);
    },
  });
}

import type { Context } from 'hono';
import { HubError } from '../errors.ts';

/** The request body as JSON, after checking its content type; a 4xx that says what to fix otherwise. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new HubError(415, 'unsupported_media_type', `send the body as JSON with "Content-Type: application/json" (got ${type ? `"${type}"` : 'none'})`);
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HubError(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

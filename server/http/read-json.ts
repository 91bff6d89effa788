import type { Context } from 'hono';
import { HubError } from '../errors.ts';
import { unstorableAt } from '../log/storable.ts';

/** The request body as JSON the log can store, after checking its content type; a 4xx that says what to fix otherwise. */
export async function readJson(c: Context): Promise<unknown> {
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
  if (problem) throw new HubError('validation_failed', `${problem.path || 'the body'} ${problem.message}`, [problem]);
  return value;
}

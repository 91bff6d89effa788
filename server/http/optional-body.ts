import type { Context } from 'hono';
import type { Contracts } from '../../contracts/index.ts';
import { HubError } from '../errors.ts';
import { readJson } from './read-json.ts';

/** An optional JSON body checked against `schemaId`: no body at all is `{}`; a bad one is a 400 that says what to fix. */
export async function optionalBody<T>(c: Context, contracts: Contracts, schemaId: string): Promise<T> {
  const body = (await c.req.text()) === '' ? {} : await readJson(c);
  const problems = contracts.check(schemaId, body);
  if (problems.length > 0) throw new HubError('validation_failed', `${problems[0]!.path || 'the body'} ${problems[0]!.message}`, problems);
  return body as T;
}

import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Contracts } from '../../contracts/index.ts';
import type { Database } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import type { HubEnv } from '../http/env.ts';
import { readJson } from '../http/read-json.ts';
import { allow } from './middleware.ts';
import type { Role } from './roles.ts';
import { insertToken, newSecret } from './tokens.ts';

/** `POST /tokens` (admin): mints a token and shows its secret once. */
export function tokenRoutes(deps: { db: Kysely<Database>; contracts: Contracts }): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  app.post('/', allow('POST /tokens'), async (c) => {
    const body = await readJson(c);
    const problems = deps.contracts.check('mc:token-request', body);
    if (problems.length > 0) {
      throw new HubError(400, 'validation_failed', `${problems[0]!.path || 'the body'} ${problems[0]!.message}`, problems);
    }
    const { role, agentId, name } = body as { role: Role; agentId?: string; name?: string };
    if ((role === 'agent') !== (agentId !== undefined)) {
      throw new HubError(400, 'validation_failed', role === 'agent' ? 'an agent token needs the agentId it speaks for' : 'only agent tokens take an agentId', [{ path: '/agentId', message: 'is required for role agent and refused for the others' }]);
    }
    const token = newSecret();
    const id = await insertToken(deps.db, token, role, agentId ?? null, name ?? null);
    return c.json({ id, token, role, agentId: agentId ?? null, name: name ?? null }, 201);
  });
  return app;
}

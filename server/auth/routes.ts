import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Contracts } from '../../contracts/index.ts';
import type { Database } from '../db/schema.ts';
import { HubError, invalidInput } from '../errors.ts';
import type { HubEnv } from '../http/env.ts';
import { knownQuery } from '../http/known-query.ts';
import { jsonBody, matching } from '../http/json-body.ts';
import { allow } from './middleware.ts';
import type { TokenRequest } from '../../contracts/views.ts';
import type { HubConfig } from '../config.ts';
import { knownProject } from '../projects/rules.ts';
import { knownPerson } from '../notifications/rules.ts';
import { hasLastingAdminBesides, insertToken, listTokens, lockAdminTokens, newSecret, revokeToken } from './tokens.ts';
import type { TokenVerifier } from './verifier.ts';


/** `POST /tokens`, `GET /tokens`, `DELETE /tokens/:id` (admin): mint (the secret shown once), list, revoke. */
export function tokenRoutes(deps: { db: Kysely<Database>; contracts: Contracts; verifier: TokenVerifier; config: Pick<HubConfig, 'projects' | 'people'> }): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  app.post('/', allow('POST /tokens'), jsonBody(matching<TokenRequest>(deps.contracts, 'requests/token-request.schema.json')), async (c) => {
    const { role, agentId, name, expiresInSec, projectId, person } = c.req.valid('json');
    if (person !== undefined) {
      if (role !== 'admin' && role !== 'operator' && role !== 'viewer') throw invalidInput([{ path: '/person', message: 'only admin, operator and viewer tokens belong to a person' }]);
      knownPerson(deps.config, person);
    }
    if (projectId !== undefined) {
      if (role !== 'operator' && role !== 'viewer') throw invalidInput([{ path: '/projectId', message: 'only operator and viewer tokens may be scoped to a project' }]);
      knownProject(deps.config, projectId);
    }
    if ((role === 'agent') !== (agentId !== undefined)) {
      throw invalidInput([{ path: '/agentId', message: role === 'agent' ? 'is required for role agent: an agent token needs the agentId it speaks for' : 'is refused for the other roles: only agent tokens take an agentId' }]);
    }
    const token = newSecret();
    const expiresAt = expiresInSec === undefined ? null : new Date(Date.now() + expiresInSec * 1000);
    const id = await insertToken(deps.db, token, { role, agentId, name, expiresAt, projectId, person });
    return c.json({ id, token, role, agentId: agentId ?? null, name: name ?? null, expiresAt: expiresAt?.toISOString() ?? null, person: person ?? null }, 201);
  });

  app.get('/', allow('GET /tokens'), knownQuery([]), async (c) => c.json({ tokens: await listTokens(deps.db) }));

  app.delete('/:id', allow('DELETE /tokens/:id'), async (c) => {
    const id = c.req.param('id');
    const revoked = await deps.db.transaction().execute(async (trx) => {
      await lockAdminTokens(trx);
      const token = await revokeToken(trx, id);
      if (!token) throw new HubError('not_found', `no token ${id}; GET /tokens lists them`);
      // Never lock everyone out: one admin token that neither expires nor is revoked always remains.
      if (token.role === 'admin' && token.expiresAt === null && !(await hasLastingAdminBesides(trx, id))) {
        throw new HubError('conflict', `${id} is the last admin token that does not expire; mint another admin token (POST /tokens) before revoking it`);
      }
      return token;
    });
    deps.verifier.forget(id);
    return c.json(revoked, 200);
  });
  return app;
}

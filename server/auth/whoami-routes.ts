import { Hono } from 'hono';
import type { HubEnv } from '../http/env.ts';
import { knownQuery } from '../http/known-query.ts';
import { allow, principalOf } from './middleware.ts';

/** `GET /whoami` (any role): the caller behind the token, so a client such as the dashboard knows what to offer. */
export function whoamiRoutes(): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  app.get('/whoami', allow('GET /whoami'), knownQuery([]), (c) => {
    const { role, agentId, actor, tokenId, name, projectId } = principalOf(c);
    return c.json({ role, agentId, actor, tokenId, name, projectId });
  });
  return app;
}

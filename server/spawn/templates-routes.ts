import { Hono } from 'hono';
import { allow } from '../auth/middleware.ts';
import type { AgentTemplate } from '../config.ts';
import type { HubEnv } from '../http/env.ts';
import { knownQuery } from '../http/known-query.ts';

/** `GET /templates` (operators): the names `POST /spawn` accepts, with their descriptions; never the commands. */
export function templatesRoutes(templates: Readonly<Record<string, AgentTemplate>>): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const list = Object.entries(templates).map(([name, template]) => ({ name, description: template.description ?? null }));
  app.get('/', allow('GET /templates'), knownQuery([]), (c) => c.json({ templates: list }));
  return app;
}

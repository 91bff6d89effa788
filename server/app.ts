import type { HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Contracts } from '../contracts/index.ts';
import type { HubConfig } from './config.ts';
import type { Database } from './db/schema.ts';
import { HubError, problemBody } from './errors.ts';
import { limitBody } from './http/body-limit.ts';
import type { EventAppender } from './log/group-commit.ts';
import { logRoutes } from './log/routes.ts';
import { opsRoutes } from './ops/routes.ts';
import type { EventFanout } from './stream/fanout.ts';
import { streamRoutes } from './stream/routes.ts';

export interface HubDeps {
  config: HubConfig;
  db: Kysely<Database>;
  contracts: Contracts;
  appender: EventAppender;
  fanout: EventFanout;
  logger: Logger;
}

/** The hub's HTTP API; everything it needs is handed in. */
export function createApp(deps: HubDeps): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  const { config } = deps;

  app.use('*', limitBody(config.limits.bodyBytes));
  app.route('/', opsRoutes(deps));
  app.route('/events', logRoutes({ ...deps, limits: config.limits }));
  app.route('/events', streamRoutes({ ...deps, sse: config.stream, onStreamError: (error) => deps.logger.warn({ err: error }, 'stream ended with an error') }));

  app.notFound(() => {
    throw new HubError(404, 'not_found', 'no such endpoint; see /contractz for the API');
  });
  app.onError((error, c) => {
    const hubError = error instanceof HubError ? error : new HubError(500, 'internal', 'the hub failed to handle this request; it has been logged');
    if (hubError.status >= 500) deps.logger.error({ err: error, path: c.req.path }, 'request failed');
    return c.body(JSON.stringify(problemBody(hubError)), hubError.status as 500, { 'content-type': 'application/problem+json' });
  });
  return app;
}

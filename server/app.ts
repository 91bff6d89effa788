import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Contracts } from '../contracts/index.ts';
import { actorsRoutes } from './auth/actors-routes.ts';
import { authenticate, bearerChallenge } from './auth/middleware.ts';
import { tokenRoutes } from './auth/routes.ts';
import { whoamiRoutes } from './auth/whoami-routes.ts';
import type { TokenVerifier } from './auth/verifier.ts';
import type { HubConfig } from './config.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import { isConnectionError } from './db/connection-error.ts';
import type { Database } from './db/schema.ts';
import { HubError, problemBody } from './errors.ts';
import { allowedMethods } from './http/allowed-methods.ts';
import { limitBody } from './http/body-limit.ts';
import type { HubEnv } from './http/env.ts';
import { byAddress, byToken, rateLimit } from './http/rate-limit.ts';
import { requestLog } from './http/request-log.ts';
import { securityHeaders } from './http/security-headers.ts';
import type { EventAppender } from './log/group-commit.ts';
import { logRoutes } from './log/routes.ts';
import { mcpRoutes } from './mcp/routes.ts';
import type { HubMetrics } from './ops/metrics.ts';
import { type BuildInfo, opsRoutes } from './ops/routes.ts';
import type { EventFanout } from './stream/fanout.ts';
import type { HeldRequests } from './stream/held-requests.ts';
import type { LogListener } from './stream/listener.ts';
import { streamRoutes } from './stream/routes.ts';

export interface HubDeps {
  config: HubConfig;
  db: Kysely<Database>;
  logId: string;
  contracts: Contracts;
  appender: EventAppender;
  fanout: EventFanout;
  held: HeldRequests;
  listener: LogListener;
  verifier: TokenVerifier;
  metrics: HubMetrics;
  logger: Logger;
  build: BuildInfo;
  poolStats(): { total: number; idle: number; waiting: number };
  /** The features' routers, by mount path. */
  routes: Array<[string, Hono<HubEnv>]>;
}

/** The hub's HTTP API; everything it needs is handed in. */
export function createApp(deps: HubDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const { config, logger } = deps;

  app.use('*', securityHeaders());
  app.use('*', requestLog(logger, deps.metrics));
  const limits = config.rateLimits;
  app.use('*', rateLimit(limits.perAddressPerSecond, limits.perAddressBurst, byAddress, 'from this address'));
  app.use('*', authenticate(deps.verifier));
  app.use('*', rateLimit(limits.perTokenPerSecond, limits.perTokenBurst, byToken, 'for this token'));
  // A coding agent's hook may carry a whole file; refusing it for its size would let the tool run unchecked.
  const hooks = limitBody(config.codingAgents.hookBodyBytes, 'the hook input is too large to check');
  const others = limitBody(config.limits.bodyBytes, 'send fewer events per request');
  app.use('*', (c, next) => (c.req.path.startsWith('/integrations/') ? hooks(c, next) : others(c, next)));

  app.route('/', opsRoutes(deps));
  app.route('/tokens', tokenRoutes(deps));
  app.route('/', whoamiRoutes());
  app.route('/', actorsRoutes(deps));
  app.route('/', dashboardRoutes());
  app.route('/events', logRoutes({ ...deps, limits: config.limits }));
  app.route('/events', streamRoutes({ ...deps, sse: config.stream, onStreamError: (error) => logger.warn({ err: error }, 'stream ended with an error') }));
  for (const [path, routes] of deps.routes) app.route(path, routes);
  // The MCP tools call the API above in-process, as a client with the caller's token.
  app.route('/mcp', mcpRoutes({ api: (request, env) => app.fetch(request, env) }));

  app.notFound((c) => {
    const allowed = allowedMethods(app, c.req.path);
    if (allowed.length > 0) {
      throw new HubError('method_not_allowed', `${c.req.method} is not allowed here; this path takes ${allowed.join(', ')}`, undefined, { allow: allowed.join(', ') });
    }
    throw new HubError('not_found', 'no such endpoint; see /contractz for the API');
  });
  app.onError((error, c) => {
    const hubError = error instanceof HubError ? error : unexpected(error);
    if (hubError.status >= 500) logger.error({ err: error, requestId: c.get('requestId'), route: c.req.routePath }, 'request failed');
    const occurrence = { instance: new URL(c.req.url).pathname, requestId: c.get('requestId') };
    // RFC 9110: every 401 names a scheme to authenticate with, whoever refused the request.
    const challenge = hubError.status === 401 ? bearerChallenge(false) : {};
    return c.body(JSON.stringify(problemBody(hubError, occurrence)), hubError.status as 500, { ...challenge, ...hubError.headers, 'content-type': 'application/problem+json' });
  });
  return app;
}

function unexpected(error: unknown): HubError {
  if (isConnectionError(error)) return new HubError('unavailable', 'the database is unreachable; retry shortly (appends: with the same idempotency key)');
  return new HubError('internal', 'the hub failed to handle this request; it has been logged');
}

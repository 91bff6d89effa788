import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { customAlphabet } from 'nanoid';
import type { Logger } from 'pino';
import type { HubMetrics } from '../ops/metrics.ts';
import type { HubEnv } from './env.ts';

const clientRequestId = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
// Letters and digits only, so a generated id is also a valid correlation id a client can echo back.
const newRequestId = customAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 20);

/**
 * Gives each request an id (the client's `X-Request-Id` when it is sane), returns it in the
 * response, and logs one line per request: id, route, status, duration, actor. Never headers or
 * the query string, which may hold a token.
 */
export function requestLog(logger: Logger, metrics: HubMetrics): MiddlewareHandler<HubEnv> {
  return async (c, next) => {
    const started = performance.now();
    const offered = c.req.header('x-request-id');
    const requestId = offered && clientRequestId.test(offered) ? offered : newRequestId();
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);
    let failed = false;
    try {
      await next();
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      const route = routeOf(c);
      const status = failed ? 500 : c.res.status;
      const seconds = (performance.now() - started) / 1000;
      metrics.httpRequests.inc({ method: c.req.method, route, status });
      metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
      logger.info({ requestId, method: c.req.method, route, status, ms: Math.round(seconds * 10_000) / 10, actor: c.get('principal')?.actor }, 'request');
    }
  };
}

/**
 * The route the request was for, even when a middleware refused it before the route ran (the
 * route that ran last would then be that middleware's `*`); `unmatched` for a 404 or 405, which
 * keeps the label's values to the hub's routes.
 */
function routeOf(c: Context<HubEnv>): string {
  return matchedRoutes(c).findLast((route) => route.method !== 'ALL')?.path ?? 'unmatched';
}

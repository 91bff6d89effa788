import type { Hono } from 'hono';
import type { HubEnv } from './env.ts';

// HEAD is answered wherever GET is (Hono runs the GET route and drops the body).
const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The methods `app` has a route for at `path`, middleware (mounted for every method) aside: what a 405's `Allow` lists. */
export function allowedMethods(app: Hono<HubEnv>, path: string): string[] {
  return methods.filter((method) => app.router.match(method === 'HEAD' ? 'GET' : method, path)[0].some(([[, route]]) => route.method !== 'ALL'));
}

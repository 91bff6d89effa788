import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Context, Hono } from 'hono';
import { HubError } from '../errors.ts';
import type { HubEnv } from '../http/env.ts';

/** Where `npm run build` writes the dashboard. */
export const dashboardDist = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));

// A hashed asset's name: letters, digits, `_`, `-`, then one or more extensions. No `/`, no `..`.
const assetName = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9]+)+$/;
const immutable = 'public, max-age=31536000, immutable';
const mediaTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * The built dashboard, public (it holds no data; the page asks for a token): `GET /` is
 * `index.html`, revalidated on every load; `GET /assets/<name>` the content-hashed files, cached
 * for a year. Only files directly inside `dist/assets` are served; anything else is a 404 problem.
 */
export function dashboardRoutes(dist: string = dashboardDist): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const assets = path.resolve(dist, 'assets');

  app.get('/', async (c) => {
    const file = path.join(dist, 'index.html');
    const info = await stat(file).catch(() => undefined);
    if (!info) throw new HubError('not_found', 'the dashboard is not built: run "npm run build" (npm start builds it when it is missing)');
    const etag = `W/"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
    const headers = { 'cache-control': 'no-cache', etag };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(await readFile(file), 200, { ...headers, 'content-type': 'text/html; charset=utf-8' });
  });

  app.get('/assets/*', async (c) => {
    const name = c.req.path.slice('/assets/'.length);
    const file = path.resolve(assets, name);
    if (!assetName.test(name) || path.dirname(file) !== assets) throw missing(name);
    const type = mediaTypes[path.extname(name)] ?? 'application/octet-stream';
    const zipped = acceptsGzip(c) ? await readFile(`${file}.gz`).catch(() => undefined) : undefined;
    if (zipped) return c.body(zipped, 200, { 'content-type': type, 'content-encoding': 'gzip', vary: 'accept-encoding', 'cache-control': immutable });
    const body = await readFile(file).catch(() => undefined);
    if (!body) throw missing(name);
    return c.body(body, 200, { 'content-type': type, vary: 'accept-encoding', 'cache-control': immutable });
  });
  return app;
}

function acceptsGzip(c: Context<HubEnv>): boolean {
  return /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
}

function missing(name: string): HubError {
  return new HubError('not_found', `no dashboard asset "${name.slice(0, 80)}"; reload the page to get the current build`);
}

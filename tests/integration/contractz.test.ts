import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspectRoutes } from 'hono/dev';
import { loadContracts } from '../../contracts/index.ts';
import { hubSuite } from '../helpers/hub-suite.ts';

const suite = hubSuite();

// The dashboard's page and its bundled files are for browsers, not part of the API.
const dashboardRoutes = ['GET /', 'GET /assets/*'];
const operations = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** `METHOD /path` of every handler the hub mounts, with hono's `:param` written as OpenAPI's `{param}`. */
function mountedRoutes(): string[] {
  const routes = inspectRoutes(suite.hub.app)
    .filter((r) => !r.isMiddleware && r.method !== 'ALL')
    .map((r) => `${r.method} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`);
  return [...new Set(routes)].filter((route) => !dashboardRoutes.includes(route)).sort();
}

/** `METHOD /path` of every operation the served contract describes. */
async function documentedRoutes(): Promise<string[]> {
  const { openapi } = (await (await fetch(`${suite.hub.url}/contractz`)).json()) as { openapi: { paths: Record<string, Record<string, unknown>> } };
  return Object.entries(openapi.paths)
    .flatMap(([path, item]) => Object.keys(item).filter((key) => operations.includes(key)).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

test('GET /contractz serves the schema of every event type, custom ones included', async () => {
  const res = await fetch(`${suite.hub.url}/contractz`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const { schemas } = (await res.json()) as { schemas: Record<string, unknown> };
  const contracts = loadContracts();
  for (const type of [...contracts.eventTypes, 'x']) {
    const path = `events/${type}.schema.json`;
    assert.deepEqual(schemas[path], contracts.schemas[path], `${path} is served`);
  }
  for (const path of ['events/append.schema.json', 'events/append-batch.schema.json', 'events/envelope.schema.json']) assert.ok(path in schemas, `${path} is served`);
});

test('GET /contractz serves the OpenAPI document with the /events path', async () => {
  const { openapi } = (await (await fetch(`${suite.hub.url}/contractz`)).json()) as { openapi: { paths: Record<string, { post?: unknown; get?: unknown }> } };
  assert.ok(openapi.paths['/events']?.post, 'POST /events is described');
  assert.ok(openapi.paths['/events']?.get, 'GET /events is described');
});

test('every route the hub mounts is in the contract it serves', async () => {
  const documented = new Set(await documentedRoutes());
  assert.deepEqual(mountedRoutes().filter((route) => !documented.has(route)), []);
});

test('every operation of the contract is a route the hub mounts', async () => {
  const mounted = new Set(mountedRoutes());
  assert.deepEqual((await documentedRoutes()).filter((route) => !mounted.has(route)), []);
});

test('GET /healthz answers 200 {status: "ok"}', async () => {
  const res = await fetch(`${suite.hub.url}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

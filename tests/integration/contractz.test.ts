import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadContracts } from '../../contracts/index.ts';
import { hubSuite } from '../helpers/hub-suite.ts';

const suite = hubSuite();

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

test('GET /healthz answers 200 {status: "ok"}', async () => {
  const res = await fetch(`${suite.hub.url}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
});

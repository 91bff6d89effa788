import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { requestTypes, requestTypesFile } from '../../contracts/codegen/request-types.ts';

test('the request types are the ones the request schemas generate: run `npm run contracts` after changing a schema', async () => {
  const generated = await requestTypes();
  assert.match(generated, /export interface SpawnRequest \{/, 'the generator emits one interface per schema');
  assert.equal(readFileSync(requestTypesFile, 'utf8'), generated);
});

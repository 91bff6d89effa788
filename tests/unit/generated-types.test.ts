import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { generatedTypes, typesOf } from '../../contracts/codegen/schema-types.ts';

for (const target of generatedTypes) {
  test(`contracts/${path.basename(fileURLToPath(target.file))} is what its schemas generate: run \`npm run contracts\` after changing one`, async () => {
    const generated = await typesOf(target);
    assert.match(generated, /^export interface \w+ \{/m, 'the generator emits an interface per titled schema');
    assert.equal(readFileSync(target.file, 'utf8'), generated);
  });
}

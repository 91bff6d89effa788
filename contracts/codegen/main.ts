import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generatedTypes, typesOf } from './schema-types.ts';

for (const target of generatedTypes) {
  writeFileSync(target.file, await typesOf(target));
  console.log(`wrote ${fileURLToPath(target.file)}`);
}

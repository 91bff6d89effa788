import { writeFileSync } from 'node:fs';
import { requestTypes, requestTypesFile } from './request-types.ts';

writeFileSync(requestTypesFile, await requestTypes());
console.log(`wrote ${requestTypesFile.pathname.split('/').slice(-2).join('/')}`);

import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { loadContracts } from '../../contracts/index.ts';

/** Asserts that `body` is what the OpenAPI contract's `components/schemas/<name>` describes. */
export function assertMatchesContract(name: string, body: unknown): void {
  const contracts = loadContracts();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv2020) => Ajv2020)(ajv);
  for (const [path, schema] of Object.entries(contracts.schemas)) ajv.addSchema(schema, path);
  ajv.addSchema(contracts.openapi as object, 'openapi.yaml');
  const validate = ajv.getSchema(`openapi.yaml#/components/schemas/${name}`);
  assert.ok(validate, `the contract has no schema ${name}`);
  assert.ok(validate(body), `${name}: ${JSON.stringify(validate.errors)}`);
}

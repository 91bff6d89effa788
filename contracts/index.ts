import { readFileSync, readdirSync } from 'node:fs';
import type { AnySchema, ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import type { SchemaProblem } from './types.ts';

export type * from './hub-config.ts';
export type * from './requests.ts';
export type * from './types.ts';

const schemaDirs = ['events', 'requests', 'config'];
const openapiFile = new URL('./openapi.yaml', import.meta.url);
// ajv-formats is CommonJS; under ESM its function sits on `default`.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** The schemas of the hub, compiled once into one Ajv instance. */
export interface Contracts {
  /** The first problem of `value` against a schema named by its path (`requests/task-create.schema.json`), or a `path#/pointer` inside one (empty when valid); costs one pass at most. */
  check(schemaId: string, value: unknown): SchemaProblem[];
  /** The schema for an event type's data: `events/<type>.schema.json`, `events/x.schema.json` for `x.*`, or undefined when unknown. */
  dataSchemaId(type: string): string | undefined;
  /** Every catalog type (not `x.*`). */
  readonly eventTypes: readonly string[];
  /** Every schema by its path under `contracts/`, as served by `/contractz`. */
  readonly schemas: Readonly<Record<string, AnySchema>>;
  /** The OpenAPI document as an object. */
  readonly openapi: unknown;
}

/** Loads and compiles every schema under `contracts/` (events, requests, config); call once per process. */
export function loadContracts(): Contracts {
  // The first problem only: with allErrors, a small body of many bad items makes Ajv gather
  // (and copy, once per $ref) an error per item, which costs time quadratic in the body.
  // Verbose errors carry their subschema (by reference), so a `not` can say what it refuses.
  const ajv = new Ajv2020({ allErrors: false, strict: true, verbose: true });
  addFormats(ajv);
  // A schema is named by its path, the same path its relative `$ref`s and the OpenAPI
  // document's resolve to, so Ajv and every file-based tool read one set of files alike.
  const schemas: Record<string, AnySchema> = {};
  for (const dir of schemaDirs) {
    for (const file of readdirSync(new URL(`./${dir}/`, import.meta.url)).filter((f) => f.endsWith('.schema.json')).sort()) {
      const path = `${dir}/${file}`;
      const schema = JSON.parse(readFileSync(new URL(`./${path}`, import.meta.url), 'utf8')) as AnySchema;
      schemas[path] = schema;
      ajv.addSchema(schema, path);
    }
  }
  // Catalog types are named `<area>.<what happened>`; the other schemas in `events/` (the
  // envelope, the append bodies, the custom `x`) have no dot in their names.
  const eventTypes = Object.keys(schemas)
    .map((path) => /^events\/([^/]+\.[^/]+)\.schema\.json$/.exec(path)?.[1])
    .filter((type) => type !== undefined);
  const known = new Set(eventTypes);

  return {
    check(schemaId, value) {
      const validate = ajv.getSchema(schemaId);
      if (!validate) throw new Error(`no schema ${schemaId}`);
      return validate(value) ? [] : (validate.errors ?? []).map(describe);
    },
    dataSchemaId(type) {
      if (known.has(type)) return `events/${type}.schema.json`;
      return type.startsWith('x.') ? 'events/x.schema.json' : undefined;
    },
    eventTypes,
    schemas,
    openapi: parseYaml(readFileSync(openapiFile, 'utf8')),
  };
}

function describe(error: ErrorObject): SchemaProblem {
  const path = error.instancePath;
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') message = `has an unknown property "${String(params.additionalProperty)}"`;
  if (error.keyword === 'enum') message = `must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
  if (error.keyword === 'pattern') message = `has characters or a length that are not allowed (pattern ${String(params.pattern)})`;
  // A `not` says what it refuses in its description (verbose errors carry the subschema).
  if (error.keyword === 'not') message = `is not allowed: it is ${(error.schema as { description?: string }).description ?? 'a refused value'}`;
  return { path, message };
}

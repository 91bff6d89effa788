import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type JSONSchema, compile } from 'json-schema-to-typescript';

const requestsDir = fileURLToPath(new URL('../requests/', import.meta.url));
/** Where the request types are written; `npm run contracts` writes it, a unit test checks it is current. */
export const requestTypesFile = new URL('../requests.ts', import.meta.url);

const banner = `// The request bodies' types, generated from contracts/requests/*.schema.json by \`npm run contracts\`.
// Do not edit: change the schema, then run the command (a unit test fails while the two differ).
`;

/** The TypeScript types of every request schema, one interface per schema named by its title. */
export async function requestTypes(): Promise<string> {
  const files = readdirSync(requestsDir).filter((f) => f.endsWith('.schema.json')).sort();
  const schemas = files.map((f) => anyValueIsUnknown(JSON.parse(readFileSync(new URL(f, `file://${requestsDir}`), 'utf8')) as JSONSchema));
  // One root holding every schema, so a type the schemas share is declared once.
  const root: JSONSchema = { type: 'object', additionalProperties: false, properties: Object.fromEntries(files.map((f, i) => [f, schemas[i]!])) };
  const source = await compile(root, 'RequestSchemas', { bannerComment: '', cwd: requestsDir, additionalProperties: false, ignoreMinAndMaxItems: true, declareExternallyReferenced: true });
  const withoutRoot = source.replace(/export interface RequestSchemas \{[\s\S]*?\n\}\n/, '');
  return `${banner}\n${withoutRoot.trim()}\n`;
}

/** A property schema that constrains nothing accepts any JSON value: typed `unknown`, not an object. */
function anyValueIsUnknown(schema: JSONSchema): JSONSchema {
  const properties = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const constrained = ['type', '$ref', 'enum', 'const', 'oneOf', 'anyOf', 'allOf', 'properties'].some((k) => k in property);
    return [name, constrained ? anyValueIsUnknown(property) : { ...property, tsType: 'unknown' }];
  });
  return properties.length === 0 ? schema : { ...schema, properties: Object.fromEntries(properties) };
}

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type JSONSchema, compile } from 'json-schema-to-typescript';

/** A TypeScript file generated from schemas in one folder of contracts/. */
export interface GeneratedTypes {
  /** The file written, next to the schemas' folder. */
  file: URL;
  /** The folder of the schemas, and which of its files to take. */
  dir: string;
  files: (names: string[]) => string[];
}

const contracts = new URL('../', import.meta.url);

/** What `npm run contracts` writes: the request bodies' types and the config file's. A unit test checks both are current. */
export const generatedTypes: readonly GeneratedTypes[] = [
  { file: new URL('requests.ts', contracts), dir: 'requests', files: (names) => names.filter((f) => f.endsWith('.schema.json')).sort() },
  { file: new URL('hub-config.ts', contracts), dir: 'config', files: () => ['hub-config.schema.json'] },
];

/** The TypeScript types of `target`'s schemas: one interface per titled schema, shared ones declared once. */
export async function typesOf(target: GeneratedTypes): Promise<string> {
  const dir = fileURLToPath(new URL(`${target.dir}/`, contracts));
  const files = target.files(readdirSync(dir));
  const schemas = files.map((f) => anyValueIsUnknown(JSON.parse(readFileSync(`${dir}${f}`, 'utf8')) as JSONSchema));
  // One root holding every schema, so a type the schemas share is declared once.
  const root: JSONSchema = { type: 'object', additionalProperties: false, properties: Object.fromEntries(files.map((f, i) => [f, schemas[i]!])) };
  const source = await compile(root, 'GeneratedRoot', { bannerComment: '', cwd: dir, additionalProperties: false, ignoreMinAndMaxItems: true, declareExternallyReferenced: true });
  const banner = [
    `// Generated from contracts/${target.dir}/${files.length === 1 ? files[0] : '*.schema.json'} by \`npm run contracts\`.`,
    '// Do not edit: change the schema, then run the command (a unit test fails while the two differ).',
  ].join('\n');
  return `${banner}\n\n${source.replace(/export interface GeneratedRoot \{[\s\S]*?\n\}\n/, '').trim()}\n`;
}

/** A property schema that constrains nothing accepts any JSON value: typed `unknown`, not an object. */
function anyValueIsUnknown(schema: JSONSchema): JSONSchema {
  const properties = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const constrained = ['type', '$ref', 'enum', 'const', 'oneOf', 'anyOf', 'allOf', 'properties'].some((k) => k in property);
    return [name, constrained ? anyValueIsUnknown(property) : { ...property, tsType: 'unknown' }];
  });
  return properties.length === 0 ? schema : { ...schema, properties: Object.fromEntries(properties) };
}

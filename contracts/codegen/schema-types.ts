import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type JSONSchema, compile } from 'json-schema-to-typescript';
import { parse as parseYaml } from 'yaml';

/** A TypeScript file generated from schemas of contracts/: one interface per titled schema. */
export interface GeneratedTypes {
  /** The file written. */
  file: URL;
  /** Where the schemas come from, for the file's banner. */
  source: string;
  /** The folder their relative `$ref`s start from. */
  cwd: string;
  /** The schemas, each with a title (the interface's name), and what their `#/...` references point into when they are parts of a larger document. */
  load(): { schemas: JSONSchema[]; document?: Record<string, unknown> };
}

const contracts = new URL('../', import.meta.url);
const folder = (name: string) => fileURLToPath(new URL(`${name}/`, contracts));
const schemaFile = (dir: string, file: string) => JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as JSONSchema;
// The views the API answers with, as the contract describes them (components/schemas).
const views = ['AgentView', 'TaskView', 'DecisionView', 'BudgetView', 'RunnerView', 'Token', 'Webhook', 'WebhookDelivery', 'People', 'PolicyRules', 'Overview', 'Brief'];

function openapi(): { components: { schemas: Record<string, JSONSchema> } } {
  return parseYaml(readFileSync(new URL('openapi.yaml', contracts), 'utf8')) as { components: { schemas: Record<string, JSONSchema> } };
}

/** What `npm run contracts` writes: the request bodies', the config file's and the views' types. A unit test checks each is current. */
export const generatedTypes: readonly GeneratedTypes[] = [
  {
    file: new URL('requests.ts', contracts),
    source: 'contracts/requests/*.schema.json',
    cwd: folder('requests'),
    load: () => ({ schemas: readdirSync(folder('requests')).filter((f) => f.endsWith('.schema.json')).sort().map((f) => schemaFile(folder('requests'), f)) }),
  },
  {
    file: new URL('hub-config.ts', contracts),
    source: 'contracts/config/hub-config.schema.json',
    cwd: folder('config'),
    load: () => ({ schemas: [schemaFile(folder('config'), 'hub-config.schema.json')] }),
  },
  {
    file: new URL('api-views.ts', contracts),
    source: 'the view schemas of contracts/openapi.yaml',
    cwd: fileURLToPath(contracts),
    load: () => {
      const { components } = openapi();
      return { schemas: views.map((name) => ({ ...components.schemas[name], title: name })), document: { components } };
    },
  },
];

/** The TypeScript types of `target`'s schemas: one interface per titled schema, shared ones declared once. */
export async function typesOf(target: GeneratedTypes): Promise<string> {
  const loaded = target.load();
  const schemas = loaded.schemas.map(anyValueIsUnknown);
  // One root holding every schema, so a type the schemas share is declared once.
  const root: JSONSchema = { ...loaded.document, type: 'object', additionalProperties: false, properties: Object.fromEntries(schemas.map((s, i) => [String(i), s])) };
  const source = await compile(root, 'GeneratedRoot', { bannerComment: '', cwd: target.cwd, additionalProperties: false, ignoreMinAndMaxItems: true, declareExternallyReferenced: true });
  const banner = [
    `// Generated from ${target.source} by \`npm run contracts\`.`,
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

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { loadContracts } from '../../contracts/index.ts';

const contracts = loadContracts();
const fixturesDir = new URL('../fixtures/events/', import.meta.url);
const fixtureFiles = readdirSync(fixturesDir).filter((f) => f.endsWith('.json')).sort();
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`${name}.json`, fixturesDir), 'utf8'));
const requiredOf = (type: string): string[] => (contracts.schemas[`events/${type}.schema.json`] as { required?: string[] }).required ?? [];
/** Every fixture with the type it is an example of (x.json stands for any custom type). */
const examples = (): Array<[string, Record<string, unknown>]> => [
  ...contracts.eventTypes.map((t): [string, Record<string, unknown>] => [t, fixture(t)]),
  ['x.deploy.preview', fixture('x')],
];

describe('event fixtures', () => {
  test('the catalog is not empty', () => {
    assert.ok(contracts.eventTypes.length >= 20, `only ${contracts.eventTypes.length} types loaded`);
  });

  for (const type of contracts.eventTypes) {
    test(`${type} has a fixture that validates against its schema`, () => {
      assert.ok(fixtureFiles.includes(`${type}.json`), `tests/fixtures/events/${type}.json is missing`);
      assert.deepEqual(contracts.check(contracts.dataSchemaId(type)!, fixture(type)), []);
    });
  }

  test('every fixture file is an example of a catalog type or is x.json', () => {
    const known = new Set([...contracts.eventTypes.map((t) => `${t}.json`), 'x.json']);
    assert.deepEqual(fixtureFiles.filter((f) => !known.has(f)), []);
  });

  test('x.json validates as custom event data', () => {
    assert.deepEqual(contracts.check('events/x.schema.json', fixture('x')), []);
  });
});

describe('required fields', () => {
  for (const type of contracts.eventTypes) {
    for (const field of requiredOf(type)) {
      test(`${type} data without "${field}" is refused`, () => {
        const { [field]: _removed, ...rest } = fixture(type);
        const problems = contracts.check(contracts.dataSchemaId(type)!, rest);
        assert.ok(problems.some((p) => p.message.includes(field)), `no problem names "${field}": ${JSON.stringify(problems)}`);
      });
    }
  }
});

describe('dataSchemaId', () => {
  test('maps a catalog type to events/<type>.schema.json', () => {
    assert.equal(contracts.dataSchemaId('decision.requested'), 'events/decision.requested.schema.json');
  });

  test('maps any x.* type to events/x.schema.json', () => {
    assert.equal(contracts.dataSchemaId('x.custom'), 'events/x.schema.json');
  });

  test('is undefined for a type that is neither in the catalog nor x.*', () => {
    assert.equal(contracts.dataSchemaId('nope.nope'), undefined);
  });
});

describe('the append schema', () => {
  const valid = { type: 'x.note', data: {}, idempotencyKey: 'k-1', agentId: 'agt_1', taskId: 'tsk_1', decisionId: 'dec_1', correlationId: 'cor_1', causationId: 'evt_1' };

  test('accepts an append with every optional field', () => {
    assert.deepEqual(contracts.check('events/append.schema.json', valid), []);
  });

  for (const field of ['type', 'idempotencyKey', 'agentId', 'taskId', 'decisionId', 'correlationId', 'causationId'] as const) {
    for (const [name, ch] of [['CR', '\r'], ['LF', '\n']] as const) {
      for (const where of ['inside', 'at the end of'] as const) {
        test(`refuses a ${name} ${where} ${field}`, () => {
          const value = where === 'inside' ? `${valid[field].slice(0, 3)}${ch}${valid[field].slice(3)}` : `${valid[field]}${ch}`;
          const problems = contracts.check('events/append.schema.json', { ...valid, [field]: value });
          assert.ok(problems.some((p) => p.path === `/${field}`), `not refused: ${JSON.stringify(problems)}`);
        });
      }
    }
  }

  test('a batch holds at most 1000 events', () => {
    const batch = (n: number) => ({ events: Array.from({ length: n }, () => ({ type: 'x.note', data: {} })) });
    assert.deepEqual(contracts.check('events/append-batch.schema.json', batch(1000)), []);
    assert.notDeepEqual(contracts.check('events/append-batch.schema.json', batch(1001)), []);
  });
});

describe('the envelope schema', () => {
  for (const [type, data] of examples()) {
    test(`accepts an envelope of ${type} built from its fixture`, () => {
      const envelope = { seq: 42, id: 'V1StGXR8_Z5jdHi6B-myT', type, actor: 'agent:agt_1', agentId: 'agt_1', recordedAt: '2025-03-14T09:40:00.000Z', data };
      assert.deepEqual(contracts.check('events/envelope.schema.json', envelope), []);
    });
  }
});

describe('the OpenAPI document', () => {
  for (const path of ['/events', '/contractz', '/healthz']) {
    test(`describes ${path}`, () => {
      const paths = (contracts.openapi as { paths?: Record<string, unknown> }).paths ?? {};
      assert.ok(path in paths, `paths: ${Object.keys(paths).join(', ')}`);
    });
  }
});

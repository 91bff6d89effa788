import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { loadContracts } from '../../contracts/index.ts';
import {
  agentStatuses,
  decisionStatuses,
  healActions,
  onTimeouts,
  pauseReasons,
  risks,
  roles,
  taskPriorities,
  taskStatuses,
} from '../../contracts/vocabulary.ts';
import { taskBoardOrder } from '../../contracts/views.ts';
import { ProblemCode } from '../../server/errors.ts';

const contracts = loadContracts();
const healerConfig: unknown = JSON.parse(readFileSync(new URL('../../server/healer/config.schema.json', import.meta.url), 'utf8'));

/** The value at a path of keys inside a parsed document. */
function at(document: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((node, key) => {
    assert.ok(node !== null && typeof node === 'object' && key in node, `no "${key}" on the way to ${keys.join('/')}`);
    return (node as Record<string, unknown>)[key];
  }, document);
}

const schema = (path: string, ...keys: string[]) => at(contracts.schemas[path], ...keys, 'enum');
const openapi = (...keys: string[]) => at(contracts.openapi, ...keys, 'enum');
const component = (name: string, property: string) => openapi('components', 'schemas', name, 'properties', property);
const nullable = (values: unknown) => (values as unknown[]).filter((v) => v !== null);

// Every enum in the schemas that spells a vocabulary, with the vocabulary it must equal, in order.
const spellings: Array<[string, () => unknown, readonly string[]]> = [
  ['task.transitioned from', () => schema('events/task.transitioned.schema.json', 'properties', 'from'), taskStatuses],
  ['task.transitioned to', () => schema('events/task.transitioned.schema.json', 'properties', 'to'), taskStatuses],
  ['task.created priority', () => schema('events/task.created.schema.json', 'properties', 'priority'), taskPriorities],
  ['agent.paused reason', () => schema('events/agent.paused.schema.json', 'properties', 'reason'), pauseReasons],
  ['agent.resumed reason', () => schema('events/agent.resumed.schema.json', 'properties', 'reason'), pauseReasons],
  ['decision.requested risk', () => schema('events/decision.requested.schema.json', 'properties', 'risk'), risks],
  ['decision.requested onTimeout', () => schema('events/decision.requested.schema.json', 'properties', 'onTimeout'), onTimeouts],
  ['decision.expired onTimeout', () => schema('events/decision.expired.schema.json', 'properties', 'onTimeout'), onTimeouts],
  ['token request role', () => schema('requests/token-request.schema.json', 'properties', 'role'), roles],
  ['hub config decisions.defaultOnTimeout', () => schema('config/hub-config.schema.json', 'properties', 'decisions', 'properties', 'defaultOnTimeout'), onTimeouts],
  ['healer config playbook action', () => at(healerConfig, '$defs', 'playbook', 'properties', 'action', 'enum'), healActions],
  ['OpenAPI AgentView status', () => component('AgentView', 'status'), agentStatuses],
  ['OpenAPI AgentView pausedReason', () => nullable(component('AgentView', 'pausedReason')), pauseReasons],
  ['OpenAPI TaskView status', () => component('TaskView', 'status'), taskStatuses],
  ['OpenAPI TaskView priority', () => component('TaskView', 'priority'), taskPriorities],
  ['OpenAPI DecisionView risk', () => component('DecisionView', 'risk'), risks],
  ['OpenAPI DecisionView status', () => component('DecisionView', 'status'), decisionStatuses],
  ['OpenAPI DecisionView onTimeout', () => component('DecisionView', 'onTimeout'), onTimeouts],
];

describe('the schemas spell each vocabulary as contracts/vocabulary.ts does', () => {
  for (const [where, enumOf, vocabulary] of spellings) {
    test(where, () => assert.deepEqual(enumOf(), [...vocabulary]));
  }

  test('OpenAPI GET /decisions ?status', () => {
    const parameters = at(contracts.openapi, 'paths', '/decisions', 'get', 'parameters') as Array<{ name?: string; schema?: { enum?: unknown } }>;
    assert.deepEqual(parameters.find((p) => p.name === 'status')?.schema?.enum, [...decisionStatuses]);
  });

  test('OpenAPI GET /whoami role', () => {
    const body = at(contracts.openapi, 'paths', '/whoami', 'get', 'responses', '200', 'content', 'application/json', 'schema');
    assert.deepEqual(at(body, 'properties', 'role', 'enum'), [...roles]);
  });
});

describe('the task board', () => {
  test('its columns are every task status, once', () => {
    assert.deepEqual([...taskBoardOrder].sort(), [...taskStatuses].sort());
  });
});

describe('the problem codes', () => {
  test('the contract lists every code the hub can answer, and no other', () => {
    assert.deepEqual([...(component('Problem', 'code') as string[])].sort(), Object.values(ProblemCode).sort());
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadContracts } from '../../contracts/index.ts';
import { defaultConfig, withOverrides } from '../../server/config.ts';
import { parseConfigFile } from '../../server/config-file.ts';

const configFrom = (yaml: string) => withOverrides(defaultConfig, parseConfigFile(loadContracts(), yaml, 'mc.yaml'));

describe('a config file laid over the defaults', () => {
  test('its templates replace the built-in ones: the sample template is gone', () => {
    const config = configFrom('templates: { fixer: { command: node } }');
    assert.deepEqual(Object.keys(config.templates), ['fixer']);
  });

  test('an empty templates map leaves no template at all', () => {
    assert.deepEqual(configFrom('templates: {}').templates, {});
  });

  test('without templates the built-in sample stays', () => {
    assert.deepEqual(Object.keys(configFrom('decisions: { defaultExpiresInSec: 60 }').templates), ['sample']);
  });

  test('other sections still merge field by field with the defaults', () => {
    const config = configFrom('decisions: { defaultExpiresInSec: 60 }');
    assert.equal(config.decisions.defaultExpiresInSec, 60);
    assert.equal(config.decisions.defaultOnTimeout, defaultConfig.decisions.defaultOnTimeout);
  });
});

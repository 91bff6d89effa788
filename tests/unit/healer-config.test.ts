import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultHealerConfig, followedTypes, parseHealerConfig } from '../../server/healer/config.ts';
import { defaultPlaybooks } from '../../server/healer/default-playbooks.ts';

describe('parseHealerConfig', () => {
  test('reads the healer section of a YAML file, applies the defaults, ignores the hub sections', () => {
    const config = parseHealerConfig(
      [
        'templates: { fixer: { command: node } }',
        'healer:',
        '  watchTypes: [agent.stale]',
        '  playbooks:',
        '    - name: flaky-network',
        '      match: { errorPattern: "ECONNRESET", template: fixer }',
        '      action: respawn',
        '    - name: stale-resume',
        '      match: { type: agent.stale }',
        '      action: resume',
        '      maxAttempts: 1',
        '      backoffMs: 0',
      ].join('\n'),
      'mc.yaml',
    );
    assert.deepEqual(config, {
      watchTypes: ['agent.stale'],
      forgetAfterMs: 86_400_000,
      playbooks: [
        { name: 'flaky-network', match: { type: 'agent.failed', errorPattern: 'ECONNRESET', template: 'fixer' }, action: 'respawn', maxAttempts: 3, backoffMs: 1000 },
        { name: 'stale-resume', match: { type: 'agent.stale' }, action: 'resume', maxAttempts: 1, backoffMs: 0 },
      ],
    });
  });

  test('forgetAfterMs: a day by default, any time from a minute up when set', () => {
    assert.equal(defaultHealerConfig.forgetAfterMs, 86_400_000);
    assert.equal(parseHealerConfig('healer: { forgetAfterMs: 3600000 }', 'mc.yaml').forgetAfterMs, 3_600_000);
    assert.throws(() => parseHealerConfig('healer: { forgetAfterMs: 10 }', 'mc.yaml'), /\/healer\/forgetAfterMs must be >= 60000/);
  });

  test('reads JSON too', () => {
    const config = parseHealerConfig(JSON.stringify({ healer: { playbooks: [{ name: 'all', match: {}, action: 'retry_task' }] } }), 'mc.json');
    assert.equal(config.playbooks[0]?.action, 'retry_task');
  });

  test('no healer section, or no playbooks: the default playbooks', () => {
    assert.deepEqual(parseHealerConfig('templates: {}', 'mc.yaml'), defaultHealerConfig);
    assert.deepEqual(parseHealerConfig('', 'mc.yaml').playbooks, defaultPlaybooks);
    assert.deepEqual(parseHealerConfig('healer: { playbooks: [] }', 'mc.yaml').playbooks, defaultPlaybooks);
  });

  test('a bad field is named with its path', () => {
    assert.throws(() => parseHealerConfig('healer: { playbooks: [{ name: p, match: {}, action: reboot }] }', 'mc.yaml'), /mc\.yaml: \/healer\/playbooks\/0\/action must be one of: respawn, resume, retry_task/);
    assert.throws(() => parseHealerConfig('healer: { playbooks: [{ name: p, match: {}, action: resume, maxAttempts: 0 }] }', 'mc.yaml'), /\/healer\/playbooks\/0\/maxAttempts/);
    assert.throws(() => parseHealerConfig('healer: { playbooks: [{ name: p, match: { signal: SIGKILL }, action: resume }] }', 'mc.yaml'), /unknown property "signal"/);
    assert.throws(() => parseHealerConfig('healer: { playbooks: [{ match: {}, action: resume }] }', 'mc.yaml'), /must have required property 'name'/);
    assert.throws(() => parseHealerConfig('healer: { watchTypes: ["not a type"] }', 'mc.yaml'), /\/healer\/watchTypes\/0/);
  });

  test('an error pattern that is not a regular expression is refused at start', () => {
    assert.throws(() => parseHealerConfig('healer: { playbooks: [{ name: p, match: { errorPattern: "(" }, action: resume }] }', 'mc.yaml'), /\/healer\/playbooks\/0\/match\/errorPattern is not a regular expression/);
  });

  test('playbook names are unique', () => {
    assert.throws(() => parseHealerConfig('healer: { playbooks: [{ name: p, match: {}, action: resume }, { name: p, match: {}, action: respawn }] }', 'mc.yaml'), /names must be unique/);
  });
});

describe('followedTypes', () => {
  test('failures (agent.failed, watched, named by playbooks), the answers to escalations and clean exits, once each', () => {
    const config = parseHealerConfig('healer: { watchTypes: [x.crash, agent.failed], playbooks: [{ name: s, match: { type: agent.stale }, action: resume }] }', 'mc.yaml');
    assert.deepEqual(followedTypes(config), ['agent.failed', 'x.crash', 'agent.stale', 'decision.resolved', 'decision.expired', 'decision.cancelled', 'agent.exited']);
  });
});

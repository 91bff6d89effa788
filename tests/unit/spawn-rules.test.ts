import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { agentAccount } from '../../server/spawn/agent-account.ts';
import { templateCwdProblem } from '../../server/spawn/rules.ts';

describe('templateCwdProblem', () => {
  test('refuses a template that works in the data directory or below it, naming the template', () => {
    assert.match(templateCwdProblem('/srv/mc/data', { fixer: { command: 'node', cwd: '/srv/mc/data' } }) ?? '', /template "fixer" has cwd \/srv\/mc\/data, inside the data directory/);
    assert.match(templateCwdProblem('/srv/mc/data', { fixer: { command: 'node', cwd: '/srv/mc/data/pg/../x' } }) ?? '', /template "fixer"/);
  });

  test('takes a template with no cwd, or one outside the data directory (a sibling whose name starts alike too)', () => {
    assert.equal(templateCwdProblem('/srv/mc/data', { a: { command: 'node' }, b: { command: 'node', cwd: '/srv/mc' }, c: { command: 'node', cwd: '/srv/mc/data-2' } }), undefined);
  });
});

describe('agentAccount', () => {
  const account = { name: 'mc-agent', uid: 999, gid: 995 };

  function logs() {
    const lines: Array<[string, string]> = [];
    const logger = { info: (...args: unknown[]) => void lines.push(['info', String(args.at(-1))]), warn: (...args: unknown[]) => void lines.push(['warn', String(args.at(-1))]) };
    return { lines, logger: logger as unknown as Parameters<typeof agentAccount>[3] };
  }

  test('as root, the agents run as the dedicated user, made or found by name', () => {
    const { lines, logger } = logs();
    const asked: string[] = [];
    assert.deepEqual(agentAccount(0, 'mc-agent', (name) => (asked.push(name), account), logger), account);
    assert.deepEqual(asked, ['mc-agent']);
    assert.deepEqual(lines.map(([level]) => level), ['info']);
  });

  test('as any other user, the agents run as the hub, and the hub says so once, as a warning', () => {
    const { lines, logger } = logs();
    assert.equal(agentAccount(1000, 'mc-agent', () => assert.fail('a user cannot switch users'), logger), undefined);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]![0], 'warn');
    assert.match(lines[0]![1], /agents run with the hub's own rights/);
  });
});

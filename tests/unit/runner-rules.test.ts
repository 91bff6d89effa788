import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { agentAccount } from '../../server/runner/environment.ts';
import { type PathStat, templateCwdProblem, templateReachProblem } from '../../server/runner/rules.ts';

describe('templateCwdProblem', () => {
  test('refuses a template that works in the data directory or below it, naming the template', () => {
    assert.match(templateCwdProblem('/srv/mc/data', 'the data directory', { fixer: { command: 'node', cwd: '/srv/mc/data' } }) ?? '', /template "fixer" has cwd \/srv\/mc\/data, inside the data directory/);
    assert.match(templateCwdProblem('/srv/mc/data', 'the data directory', { fixer: { command: 'node', cwd: '/srv/mc/data/pg/../x' } }) ?? '', /template "fixer"/);
  });

  test('takes a template with no cwd, or one outside the data directory (a sibling whose name starts alike too)', () => {
    assert.equal(templateCwdProblem('/srv/mc/data', 'the data directory', { a: { command: 'node' }, b: { command: 'node', cwd: '/srv/mc' }, c: { command: 'node', cwd: '/srv/mc/data-2' } }), undefined);
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

  test('as any other user, the agents run as the runner, and the runner says so once, as a warning', () => {
    const { lines, logger } = logs();
    assert.equal(agentAccount(1000, 'mc-agent', () => assert.fail('a user cannot switch users'), logger), undefined);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]![0], 'warn');
    assert.match(lines[0]![1], /agents run with the runner's own rights/);
  });
});

describe('templateReachProblem', () => {
  const agent = { name: 'mc-agent', uid: 999, gid: 995 };
  const dir = (mode: number, uid = 0, gid = 0): PathStat => ({ uid, gid, mode, directory: true });
  const file = (mode: number, uid = 0, gid = 0): PathStat => ({ uid, gid, mode, directory: false });
  /** A machine of a few paths: the checkout under /root, as a root-run hub has it. */
  const machine = (paths: Record<string, PathStat>) => (at: string) => paths[at];
  const sample = { command: 'node', args: ['--import', 'tsx', 'server/client/sample-agent.ts'], cwd: '/root/mc' };
  const tree = { '/': dir(0o755), '/root': dir(0o755), '/root/mc': dir(0o755), '/root/mc/server': dir(0o755), '/root/mc/server/client': dir(0o755), '/root/mc/server/client/sample-agent.ts': file(0o644) };

  test('names the template, the directory it may not enter and the fixes', () => {
    const problem = templateReachProblem('sample', sample, agent, machine({ ...tree, '/root': dir(0o700) }));
    assert.equal(
      problem,
      'template "sample" cannot start as the user mc-agent (uid 999): it may not enter /root (mode 0700, owner uid 0) on the way to /root/mc: ' +
        'move the checkout where mc-agent can reach it, give it o+x (chmod o+x /root), or set runner.runAs to a user that can',
    );
  });

  test('checks the files its args name: one the agent may not read is named', () => {
    const problem = templateReachProblem('sample', sample, agent, machine({ ...tree, '/root/mc/server/client/sample-agent.ts': file(0o600) }));
    assert.match(problem ?? '', /may not read \/root\/mc\/server\/client\/sample-agent\.ts \(mode 0600, owner uid 0\): .*chmod o\+r/);
  });

  test('checks the directories on the way to a file its args name', () => {
    const problem = templateReachProblem('sample', sample, agent, machine({ ...tree, '/root/mc/server/client': dir(0o750) }));
    assert.match(problem ?? '', /may not enter \/root\/mc\/server\/client \(mode 0750, owner uid 0\) on the way to \/root\/mc\/server\/client\/sample-agent\.ts/);
  });

  test('takes search rights through the owner or the group, as the kernel does', () => {
    assert.equal(templateReachProblem('sample', sample, agent, machine({ ...tree, '/root': dir(0o700, 999) })), undefined);
    assert.equal(templateReachProblem('sample', sample, agent, machine({ ...tree, '/root': dir(0o710, 0, 995) })), undefined);
    // Other's bit does not help the owner: the owner's own bits are the ones that count.
    assert.notEqual(templateReachProblem('sample', sample, agent, machine({ ...tree, '/root': dir(0o071, 999) })), undefined);
  });

  test('passes a reachable checkout, a template with no cwd (a fresh directory of its own) and args that name no file', () => {
    assert.equal(templateReachProblem('sample', sample, agent, machine(tree)), undefined);
    assert.equal(templateReachProblem('fresh', { command: 'node', args: ['/root/secret.js'] }, agent, machine({ ...tree, '/root': dir(0o700) })), undefined);
    assert.equal(templateReachProblem('words', { command: 'echo', args: ['hello'], cwd: '/root/mc' }, agent, machine(tree)), undefined);
  });
});

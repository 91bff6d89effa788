// Workspaces with real git: repositories made by the test, agents that commit in their own
// worktree on their own branch, every commit and the finish logged, merges asked as decisions
// and applied by the runner only when approved (fast-forward, or a merge commit that refuses a
// conflict), worktrees removed after their retention with the branch kept; and the bad inputs.
// Also the resource limits a template sets, as the agent's own shell reads them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { EventEnvelope } from '../../server/client/views.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { type TestHub, testHub } from '../helpers/hub.ts';
import { until } from '../helpers/until.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'safe.directory=*', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

// Commits two files, one at a time (a file named after the agent, then the README), in the agent's worktree, as the agent.
const commitTwice = [
  "const { execFileSync } = require('node:child_process'); const fs = require('node:fs');",
  "const git = (...a) => execFileSync('git', ['-c', 'user.name=' + process.env.MC_AGENT_ID, '-c', 'user.email=agent@agents.invalid', ...a], { cwd: process.env.MC_WORKSPACE, stdio: 'inherit' });",
  "const fix = process.env.MC_AGENT_ID + '.txt'; fs.writeFileSync(process.env.MC_WORKSPACE + '/' + fix, 'one\\ntwo\\n'); git('add', fix); git('commit', '-q', '-m', 'Add the fix');",
  "fs.appendFileSync(process.env.MC_WORKSPACE + '/README.md', 'fixed by an agent\\n'); git('commit', '-q', '-am', 'Say so in the README');",
  "console.log('cwd ' + process.cwd());",
].join('\n');
const idle = "console.log('nothing to do')";

let dir: string;
let origin: string;
let database: TestDatabase;
let hub: TestHub;

function makeRepository(name: string): string {
  const seed = path.join(dir, `${name}-seed`);
  mkdirSync(seed);
  git(seed, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(seed, 'README.md'), 'a repository made by the test\n');
  git(seed, 'add', 'README.md');
  git(seed, '-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-m', 'First');
  const bare = path.join(dir, `${name}.git`);
  git(dir, 'clone', '-q', '--bare', seed, bare);
  return bare;
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mc-workspaces-test-'));
  // The agents' user reads the repositories.
  chmodSync(dir, 0o755);
  origin = makeRepository('origin');
  const conflicted = makeRepository('conflicted');
  const notGit = path.join(dir, 'not-git');
  mkdirSync(notGit);
  const node = (script: string) => ({ command: process.execPath, args: ['-e', script] });
  database = await testDatabase();
  hub = await testHub(database.url, {
    templates: {
      fixer: { ...node(commitTwice), workspace: { repo: origin, base: 'main' } },
      careful: { ...node(commitTwice), workspace: { repo: conflicted, base: 'main', merge: 'merge-commit', mergeRisk: 'medium' } },
      lazy: { ...node(idle), workspace: { repo: origin, base: 'main' } },
      plain: node(idle),
      missing: { ...node(idle), workspace: { repo: path.join(dir, 'no-such-repository') } },
      'not-git': { ...node(idle), workspace: { repo: notGit } },
      'no-base': { ...node(idle), workspace: { repo: origin, base: 'release' } },
      limited: { command: '/bin/sh', args: ['-c', 'echo "files $(ulimit -n) cpu $(ulimit -t) memory $(ulimit -v)"'], limits: { openFiles: 64, cpuSeconds: 7, memoryMb: 512 } },
    },
    runner: { workspacesDir: path.join(dir, 'workspaces'), worktreeRetentionSec: 0 },
  });
});

after(async () => {
  await hub?.close();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function spawn(template: string, name?: string): Promise<string> {
  const res = await hub.post('/spawn', { template, ...(name ? { name } : {}) });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return res.body.agentId as string;
}

async function eventsOf(agentId: string): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for await (const event of hub.client.events.list({ agent: agentId })) events.push(event);
  return events;
}

async function ended(agentId: string): Promise<EventEnvelope[]> {
  return until(`the end of ${agentId}`, async () => {
    const events = await eventsOf(agentId);
    return events.some((e) => e.type === 'agent.exited' || e.type === 'agent.failed') ? events : undefined;
  }, 30_000);
}

async function outcomeOfMerge(agentId: string): Promise<EventEnvelope> {
  return until(`the merge of ${agentId}`, async () => (await eventsOf(agentId)).find((e) => e.type === 'workspace.merged' || e.type === 'workspace.merge_failed'), 30_000);
}

describe('an agent with a workspace', () => {
  let agentId: string;
  let events: EventEnvelope[];
  before(async () => {
    agentId = await spawn('fixer', 'fixer-1');
    events = await ended(agentId);
  });

  test('works in a fresh worktree of its own branch, mc/<its name>, and each commit is logged once, in order', () => {
    const output = events.filter((e) => e.type === 'agent.output').map((e) => String(e.data.line));
    assert.ok(output.some((line) => line === `cwd ${path.join(dir, 'workspaces', 'worktrees', agentId)}`), JSON.stringify(events.map((e) => [e.type, e.data])));
    const commits = events.filter((e) => e.type === 'workspace.committed');
    assert.deepEqual(
      commits.map((e) => [e.data.branch, e.data.message, e.data.author, e.data.files]),
      [
        ['mc/fixer-1', 'Add the fix', `${agentId} <agent@agents.invalid>`, [{ path: `${agentId}.txt`, added: 2, removed: 0 }]],
        ['mc/fixer-1', 'Say so in the README', `${agentId} <agent@agents.invalid>`, [{ path: 'README.md', added: 1, removed: 0 }]],
      ],
    );
    assert.equal(commits[0]!.actor.startsWith('runner:'), true);
  });

  test('its end records the branch head and the diff against the base, before agent.exited', () => {
    const types = events.map((e) => e.type);
    assert.ok(types.indexOf('workspace.finished') < types.indexOf('agent.exited'), types.join(', '));
    const finished = events.find((e) => e.type === 'workspace.finished')!.data;
    assert.deepEqual([finished.branch, finished.base, finished.commits, finished.files, finished.added, finished.removed], ['mc/fixer-1', 'main', 2, 2, 3, 0]);
    assert.equal(finished.head, events.filter((e) => e.type === 'workspace.committed').at(-1)!.data.sha);
    assert.match(String(finished.diff), /\+fixed by an agent/);
    assert.equal(finished.baseSha, git(origin, 'rev-parse', 'main'));
  });

  test('its worktree is removed once its retention has passed; its branch is kept', async () => {
    const worktree = path.join(dir, 'workspaces', 'worktrees', agentId);
    await until('the worktree removed', async () => (existsSync(worktree) ? undefined : true), 10_000);
    const clone = path.join(dir, 'workspaces', 'repos');
    const [repo] = execFileSync('ls', [clone], { encoding: 'utf8' }).split('\n').filter((name) => name.startsWith('origin-'));
    assert.equal(git(path.join(clone, repo!), 'rev-parse', 'mc/fixer-1'), events.find((e) => e.type === 'workspace.finished')!.data.head);
  });

  test('a merge is a decision (high risk by default) that shows the diffstat and the commits; only once approved does the runner fast-forward the base', async () => {
    const before = git(origin, 'rev-parse', 'main');
    const asked = await hub.post(`/agents/${agentId}/merge`, { reason: 'the fix is ready' });
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    assert.deepEqual([asked.body.title, asked.body.risk, asked.body.status], ['Merge mc/fixer-1 into main?', 'high', 'pending']);
    assert.match(asked.body.context, /2 commits, 2 files changed, \+3 -0/);
    assert.match(asked.body.context, /Add the fix/);
    assert.equal(git(origin, 'rev-parse', 'main'), before, 'nothing is merged while the decision is pending');
    assert.equal((await hub.post(`/agents/${agentId}/merge`, {})).status, 409, 'one merge request at a time');
    assert.equal((await hub.post(`/decisions/${asked.body.id}/resolve`, { outcome: 'approve' })).status, 200);
    const merged = await outcomeOfMerge(agentId);
    assert.equal(merged.type, 'workspace.merged', JSON.stringify(merged.data));
    assert.deepEqual([merged.data.mode, merged.data.sha], ['fast-forward', git(origin, 'rev-parse', 'main')]);
    assert.equal(git(origin, 'rev-parse', 'main'), events.find((e) => e.type === 'workspace.finished')!.data.head);
    const again = await hub.post(`/agents/${agentId}/merge`, {});
    assert.equal(again.status, 409);
    assert.match(again.body.detail, /merged already/);
  });
});

describe('a merge that cannot be applied as configured', () => {
  test('a merge commit into a base that conflicts is reported with the files in conflict, and the base is left as it was', async () => {
    const agentId = await spawn('careful', 'careful-1');
    await ended(agentId);
    // Someone else changes the same line of the README meanwhile.
    const conflicted = path.join(dir, 'conflicted.git');
    const other = path.join(dir, 'someone-else');
    git(dir, 'clone', '-q', conflicted, other);
    writeFileSync(path.join(other, 'README.md'), 'a repository made by the test\nchanged by someone else\n');
    git(other, '-c', 'user.name=else', '-c', 'user.email=else@example.invalid', 'commit', '-q', '-am', 'Elsewhere');
    git(other, 'push', '-q', 'origin', 'main');
    const theirs = git(conflicted, 'rev-parse', 'main');
    const asked = await hub.post(`/agents/${agentId}/merge`, {});
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    assert.equal(asked.body.risk, 'medium', "the template's mergeRisk");
    assert.equal((await hub.post(`/decisions/${asked.body.id}/resolve`, { outcome: 'approve' })).status, 200);
    const failed = await outcomeOfMerge(agentId);
    assert.equal(failed.type, 'workspace.merge_failed');
    assert.deepEqual([failed.data.mode, failed.data.conflicts, failed.data.reason], ['merge-commit', ['README.md'], 'the merge conflicts in 1 file']);
    assert.equal(git(conflicted, 'rev-parse', 'main'), theirs, 'never forced');
    assert.equal((await hub.post(`/agents/${agentId}/merge`, {})).status, 201, 'after a failed merge, another may be asked');
  });

  test('a denied merge changes nothing', async () => {
    const agentId = await spawn('fixer', 'fixer-denied');
    await ended(agentId);
    const before = git(origin, 'rev-parse', 'main');
    const asked = await hub.post(`/agents/${agentId}/merge`, {});
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    assert.equal((await hub.post(`/decisions/${asked.body.id}/resolve`, { outcome: 'deny' })).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const types = (await eventsOf(agentId)).map((e) => e.type);
    assert.ok(!types.includes('workspace.merge_approved') && !types.includes('workspace.merged'), types.join(', '));
    assert.equal(git(origin, 'rev-parse', 'main'), before);
  });
});

describe('bad input around workspaces', () => {
  for (const [template, error] of [
    ['missing', /could not start: the workspace repository \S+no-such-repository does not exist/],
    ['not-git', /could not start: \S+not-git is not a git repository the runner can reach/],
    ['no-base', /could not start: the workspace repository \S+ has no branch "release"/],
  ] as const) {
    test(`a template whose workspace is ${template}: the agent fails to start, saying why, and leaves no worktree`, async () => {
      const agentId = await spawn(template);
      const end = (await ended(agentId)).find((e) => e.type === 'agent.failed');
      assert.ok(end, 'agent.failed');
      assert.match(String(end.data.error), error);
      assert.equal(existsSync(path.join(dir, 'workspaces', 'worktrees', agentId)), false);
    });
  }

  test('a name that cannot be a git branch is a 400 for a template with a workspace, and fine for one without', async () => {
    for (const name of ['two..dots', 'ends.lock', '-dash', 'has space', 'trailing/']) {
      const res = await hub.post('/spawn', { template: 'fixer', name });
      assert.equal(res.status, 400, `${name}: ${JSON.stringify(res.body)}`);
      assert.match(res.body.detail, /cannot be a git branch/);
    }
    assert.equal((await hub.post('/spawn', { template: 'plain', name: 'two..dots' })).status, 202);
  });

  test('a merge of an agent with no workspace, of one with no commit, and of an unknown agent: 409, 409, 404', async () => {
    const plain = await spawn('plain');
    await ended(plain);
    const none = await hub.post(`/agents/${plain}/merge`, {});
    assert.equal(none.status, 409);
    assert.match(none.body.detail, /has no workspace/);
    const lazy = await spawn('lazy');
    await ended(lazy);
    const empty = await hub.post(`/agents/${lazy}/merge`, {});
    assert.equal(empty.status, 409);
    assert.match(empty.body.detail, /made no commit/);
    assert.equal((await hub.post('/agents/agt_nobody/merge', {})).status, 404);
  });

  test('a merge request body that is not the schema is a 400; an agent, a viewer or a runner token may not merge', async () => {
    assert.equal((await hub.post('/agents/agt_nobody/merge', { force: true })).status, 400);
    for (const role of ['viewer', 'runner'] as const) {
      const res = await hub.post('/agents/agt_nobody/merge', {}, { authorization: `Bearer ${await hub.mint(role)}` });
      assert.equal(res.status, 403, role);
    }
  });
});

describe("a template's resource limits", () => {
  test("are set on the agent's process, as its own shell reads them", async () => {
    const agentId = await spawn('limited');
    const events = await ended(agentId);
    const line = events.find((e) => e.type === 'agent.output')?.data.line;
    assert.equal(line, `files 64 cpu 7 memory ${512 * 1024}`);
  });
});

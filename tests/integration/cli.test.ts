import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { HubClient } from '../../server/client/hub-client.ts';
import type { DecisionView } from '../../server/client/views.ts';
import { type Run, runProcess, startProcess } from '../helpers/child-process.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { until } from '../helpers/until.ts';

let operator: HubClient;
let token: string;

// Fast timers, so a decision with a one-second deadline expires within the test.
const suite = hubSuite({ timers: { tickMs: 200 } });
before(async () => {
  await suite.ready();
  token = suite.hub.auth.authorization!.slice('Bearer '.length);
  operator = new HubClient({ url: suite.hub.url, token });
});

const mcMain = ['--import', 'tsx', 'server/cli/main.ts'];
const mcEnv = (env: Record<string, string>) => ({ ...process.env, MC_HUB_URL: suite.hub.url, MC_TOKEN: token, ...env });

/** Starts `mc <args>` as a real child process, talking to the test hub unless `env` says otherwise. */
function start(args: string[], env: Record<string, string> = {}): Run {
  return startProcess(process.execPath, [...mcMain, ...args], { env: mcEnv(env) });
}

/** Runs `mc <args>` to its end. */
function mc(args: string[], env: Record<string, string> = {}) {
  return runProcess(process.execPath, [...mcMain, ...args], { env: mcEnv(env) });
}

const pendingTitled = (title: string) => until<DecisionView>(`"${title}" in the inbox`, async () => (await operator.decisions('pending')).find((d) => d.title === title));

describe('mc', () => {
  test('--help exits 0 and lists the commands; so does --help on every command', async () => {
    const names = ['tail', 'emit', 'decide', 'decisions', 'resolve', 'cancel', 'spawn', 'inject', 'agents', 'pause', 'resume', 'tasks', 'budgets', 'tokens', 'whoami'];
    const overview = await mc(['--help'], { MC_TOKEN: '' });
    assert.equal(overview.code, 0);
    for (const name of names) assert.match(overview.stdout, new RegExp(`^  ${name} `, 'm'));
    const each = await Promise.all(names.map((name) => mc([name, '--help'], { MC_TOKEN: '' })));
    each.forEach((run, i) => {
      assert.equal(run.code, 0, `mc ${names[i]} --help: ${run.stderr}`);
      assert.match(run.stdout, new RegExp(`^Usage: mc ${names[i]}`));
    });
  });

  test('mc emit appends an event that mc tail --after then shows', async () => {
    const emitted = await mc(['emit', 'x.cli.hello', '{"greeting":"hi"}', '--agent', 'agt_cli']);
    assert.equal(emitted.code, 0, emitted.stderr);
    const seq = Number(/at seq (\d+)/.exec(emitted.stdout)?.[1]);
    const tail = start(['tail', '--after', String(seq - 1), '--types', 'x.cli.*']);
    await until('the tail line', () => (tail.stdout.includes('\n') ? true : undefined));
    tail.child.kill();
    assert.equal(await tail.exited, 0);
    const [line] = tail.stdout.split('\n');
    assert.match(line!, new RegExp(`^\\s*${seq}\\s+\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\s+x\\.cli\\.hello\\s+agt_cli\\s+\\{"greeting":"hi"\\}$`));
  });

  test('mc decisions lists a pending decision, and mc resolve answers it', async () => {
    const asked = await suite.hub.post('/decisions', { title: 'Rotate the keys?', risk: 'high' });
    assert.equal(asked.status, 201);
    const id = asked.body.id as string;
    const listed = await mc(['decisions']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${id}\\s+pending\\s+high\\s+due in \\d+m\\s+\\S+\\s+Rotate the keys\\?$`, 'm'));
    const resolved = await mc(['resolve', id, 'approve', '--comment', 'rotate them']);
    assert.equal(resolved.code, 0, resolved.stderr);
    assert.match(resolved.stdout, /approve by operator:\S+: rotate them/);
    const view = await operator.decision(id);
    assert.deepEqual([view.status, view.outcome, view.comment], ['resolved', 'approve', 'rotate them']);
  });

  for (const [outcome, code] of [['approve', 0], ['deny', 1]] as const) {
    test(`mc decide exits ${code} when an operator answers ${outcome} meanwhile`, async () => {
      const title = `Run: rm -rf build (${outcome})`;
      const decide = start(['decide', '--title', title, '--risk', 'high', '--context', 'cleans the build']);
      const { id } = await pendingTitled(title);
      await operator.resolve(id, outcome, `${outcome}d by the test`);
      assert.equal(await decide.exited, code, decide.stderr);
      assert.match(decide.stdout, new RegExp(`^${outcome} by operator:\\S+: ${outcome}d by the test\\n$`));
      assert.match(decide.stderr, new RegExp(`waiting for ${id}`));
    });
  }

  test('mc decide --timeout 1 exits 2 when nobody answers by the deadline', async () => {
    const run = await mc(['decide', '--title', 'Nobody answers this', '--timeout', '1']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stdout, /^expired: nobody answered \S+ by \S+; the hub applied "deny"/);
  });

  test('mc spawn prints the agent and its token; mc agents lists it; mc inject reaches it', async () => {
    const spawned = await mc(['spawn', 'sample', '--name', 'cli-sample', '--input', '{"n":1}']);
    assert.equal(spawned.code, 0, spawned.stderr);
    const agentId = /^agentId\s+(agt_\w+)$/m.exec(spawned.stdout)?.[1];
    assert.ok(agentId, spawned.stdout);
    assert.match(spawned.stdout, /^token\s+mc_\S+$/m);
    const agents = await mc(['agents']);
    assert.match(agents.stdout, new RegExp(`^${agentId}\\s+cli-sample\\s+`, 'm'));
    const injected = await mc(['inject', agentId, 'hello', 'there']);
    assert.equal(injected.code, 0, injected.stderr);
    assert.match(injected.stdout, new RegExp(`^injected into ${agentId} at seq \\d+`));
    const decision = await until('its decision', async () => (await operator.decisions('pending')).find((d) => d.agentId === agentId));
    await operator.resolve(decision.id, 'deny');
  });

  test('a refused token is one line on stderr and exit 3', async () => {
    const run = await mc(['agents'], { MC_TOKEN: 'mc_not_a_real_token' });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /^mc: the hub refused the token \(401 unauthorized\): .+\n$/);
    assert.equal(run.stdout, '');
  });

  test('a hub that is down is one line on stderr and exit 3', async () => {
    for (const args of [['agents'], ['tail'], ['decide', '--title', 'Anyone there?']]) {
      const run = await mc(args, { MC_HUB_URL: 'http://127.0.0.1:59997' });
      assert.equal(run.code, 3, `mc ${args[0]}`);
      assert.equal(run.stderr, 'mc: cannot reach the hub at http://127.0.0.1:59997 (connection refused)\n');
    }
  });
});

const repository = fileURLToPath(new URL('../..', import.meta.url));
const version = (JSON.parse(readFileSync(join(repository, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * A directory outside the checkout, as a user's machine has it after `npm link`: `mc` on PATH is a
 * symlink to server/cli/mc.mjs, beside the few programs the Claude Code hook uses; `tools` has
 * those programs without `mc`.
 */
const outside = mkdtempSync(join(tmpdir(), 'mc-outside-'));
const withMc = join(outside, 'bin');
const tools = join(outside, 'tools');
mkdirSync(withMc);
mkdirSync(tools);
symlinkSync(join(repository, 'server/cli/mc.mjs'), join(withMc, 'mc'));
for (const [name, target] of [['node', process.execPath], ['bash', '/usr/bin/bash'], ['cat', '/usr/bin/cat'], ['jq', '/usr/bin/jq']] as const) {
  symlinkSync(target, join(tools, name));
}
after(() => rmSync(outside, { recursive: true, force: true }));

/** Runs the linked `mc` from the directory outside the checkout. */
function linkedMc(args: string[], env: Record<string, string> = {}) {
  return runProcess(join(withMc, 'mc'), args, { cwd: outside, env: { PATH: `${withMc}:${tools}`, HOME: outside, MC_HUB_URL: suite.hub.url, MC_TOKEN: token, ...env } });
}

describe('mc outside the checkout', () => {
  test('mc --version prints the version', async () => {
    const run = await linkedMc(['--version']);
    assert.deepEqual([run.code, run.stdout, run.stderr], [0, `mc ${version}\n`, '']);
  });

  test('the linked mc runs from any directory: it finds its own tsx, not the working directory\'s', async () => {
    const run = await linkedMc(['whoami']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^operator:\S+ \(role operator\) at http:\/\/\S+\n$/);
  });
});

describe('mc commands for operators', () => {
  test('mc whoami names an agent token\'s agent', async () => {
    const run = await mc(['whoami'], { MC_TOKEN: await suite.hub.mint('agent', 'agt_whoami') });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^agent:agt_whoami \(role agent, agent agt_whoami\) at /);
  });

  test('mc tasks lists the board, and --status picks one column', async () => {
    const created = await suite.hub.post('/tasks', { title: 'Rotate the CLI keys', priority: 'high' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const all = await mc(['tasks']);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /^ID +STATUS +PRIORITY +AGENT +CHANGED +TITLE$/m);
    assert.match(all.stdout, new RegExp(`^${created.body.id} +todo +high +- +.+ +Rotate the CLI keys$`, 'm'));
    assert.equal((await mc(['tasks', '--status', 'done'])).stdout, 'no done tasks\n');
  });

  test('mc tasks with an unknown status is one line on stderr and exit 3', async () => {
    const run = await mc(['tasks', '--status', 'finished']);
    assert.equal(run.code, 3);
    assert.equal(run.stderr, 'mc tasks: --status must be one of todo, in_progress, review, blocked, done, cancelled, got "finished" (mc tasks --help)\n');
  });

  test('mc pause and mc resume move an agent; pausing it twice is exit 3 with the hub\'s reason', async () => {
    const agent = await suite.hub.mint('agent', 'agt_cli_pause');
    assert.equal((await suite.hub.post('/agents/agt_cli_pause/heartbeat', {}, { authorization: `Bearer ${agent}` })).status, 200);
    const paused = await mc(['pause', 'agt_cli_pause', '--reason', 'lunch']);
    assert.deepEqual([paused.code, paused.stdout], [0, 'agt_cli_pause: paused\n'], paused.stderr);
    const again = await mc(['pause', 'agt_cli_pause']);
    assert.equal(again.code, 3);
    assert.match(again.stderr, /^mc: .*409.*\n$/);
    const resumed = await mc(['resume', 'agt_cli_pause']);
    assert.deepEqual([resumed.code, resumed.stdout], [0, 'agt_cli_pause: running\n'], resumed.stderr);
  });

  test('mc pause without an agent is one line on stderr and exit 3', async () => {
    const run = await mc(['pause']);
    assert.deepEqual([run.code, run.stderr], [3, 'mc pause: missing <agentId> (mc pause --help)\n']);
  });

  test('mc cancel withdraws a pending decision; cancelling it again is exit 3 with the hub\'s reason', async () => {
    const decision = (await suite.hub.post('/decisions', { title: 'Cancel me from the CLI', risk: 'medium' })).body;
    const run = await mc(['cancel', decision.id, '--reason', 'superseded']);
    assert.deepEqual([run.code, run.stdout], [0, `${decision.id}: cancelled: superseded\n`], run.stderr);
    const again = await mc(['cancel', decision.id]);
    assert.equal(again.code, 3);
    assert.match(again.stderr, /^mc: .*already cancelled.*\n$/);
  });

  test('mc budgets lists spend against limits', async () => {
    assert.equal((await suite.hub.post('/budgets', { scope: 'global', limitUsd: 42 })).status, 200);
    const run = await mc(['budgets']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^SCOPE +ID +SPENT \/ LIMIT +STATE$/m);
    assert.match(run.stdout, /^global +\d{4}-\d{2}-\d{2} +\$0\.00 \/ \$42\.00 +ok$/m);
  });

  test('mc tokens create mints a token that works, printed alone on stdout', async () => {
    const run = await mc(['tokens', 'create', '--role', 'viewer', '--name', 'ann'], { MC_TOKEN: suite.hub.adminToken });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^minted viewer token \S+ \(ann\); the secret above is not shown again\n$/);
    const me = await new HubClient({ url: suite.hub.url, token: run.stdout.trim() }).whoami();
    assert.equal(me.role, 'viewer');
  });

  for (const [args, message] of [
    [['tokens'], 'mc tokens: missing <action> (mc tokens --help)'],
    [['tokens', 'list'], 'mc tokens: the only action is "create", got "list" (mc tokens --help)'],
    [['tokens', 'create', '--role', 'agent'], 'mc tokens: --role agent needs --agent <agentId> (mc tokens --help)'],
    [['tokens', 'create', '--role', 'boss'], 'mc tokens: --role must be one of admin, operator, agent, healer, viewer, got "boss" (mc tokens --help)'],
  ] as const) {
    test(`mc ${args.join(' ')} is one line on stderr and exit 3`, async () => {
      const run = await mc([...args], { MC_TOKEN: suite.hub.adminToken });
      assert.deepEqual([run.code, run.stderr, run.stdout], [3, `${message}\n`, '']);
    });
  }

  test('mc tokens create with an operator token is refused: exit 3', async () => {
    const run = await mc(['tokens', 'create', '--role', 'viewer']);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /^mc: .*403.*\n$/);
  });
});

describe('the Claude Code hook (examples/claude-code/mission-control.sh)', () => {
  const hook = join(repository, 'examples/claude-code/mission-control.sh');
  const hookInput = (command: string) => JSON.stringify({ session_id: 'sess-42', cwd: '/home/ann/shop', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } });

  function runHook(stdin: string, env: Record<string, string> = {}) {
    return startProcess(hook, [], { cwd: outside, stdin, env: { PATH: `${withMc}:${tools}`, HOME: outside, MC_HUB_URL: suite.hub.url, MC_TOKEN: token, ...env } });
  }

  test('an approved command exits 0; the decision names the session and the working directory', async () => {
    const run = runHook(hookInput('make deploy'));
    const decision = await pendingTitled('Run in shop: make deploy');
    assert.equal(decision.risk, 'high');
    assert.match(decision.context, /^Claude Code session sess-42 in \/home\/ann\/shop wants to run:\n\nmake deploy$/);
    await operator.resolve(decision.id, 'approve');
    assert.equal(await run.exited, 0, run.stderr);
  });

  test('a denied command exits 2 with the reason on stderr', async () => {
    const run = runHook(hookInput('rm -rf build'));
    await operator.resolve((await pendingTitled('Run in shop: rm -rf build')).id, 'deny', 'not today');
    assert.equal(await run.exited, 2);
    assert.match(run.stderr, /deny by operator:\S+: not today\nMission Control: the command was denied/);
  });

  for (const [name, stdin] of [
    ['not JSON', 'not json'],
    ['JSON without a session', JSON.stringify({ cwd: '/tmp', tool_input: { command: 'ls' } })],
    ['empty', ''],
  ] as const) {
    test(`stdin that is ${name} exits 2 with the reason on stderr`, async () => {
      const run = runHook(stdin);
      assert.equal(await run.exited, 2);
      assert.equal(run.stderr, 'Mission Control: the hook\'s stdin is not Claude Code hook JSON with a session_id\n');
    });
  }

  test('without mc on PATH it exits 2 and says how to install it', async () => {
    const run = runHook(hookInput('ls'), { PATH: tools });
    assert.equal(await run.exited, 2);
    assert.match(run.stderr, /^Mission Control: mc is not on PATH: run 'npm link'/);
  });

  test('with the hub down it exits 2 with mc\'s reason on stderr', async () => {
    const run = runHook(hookInput('ls'), { MC_HUB_URL: 'http://127.0.0.1:59997' });
    assert.equal(await run.exited, 2);
    assert.match(run.stderr, /^mc: cannot reach the hub at http:\/\/127\.0\.0\.1:59997 \(connection refused\)\nMission Control: could not get an answer/);
  });
});

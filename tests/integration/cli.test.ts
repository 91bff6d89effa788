import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { HubClient } from '../../server/client/hub-client.ts';
import type { DecisionView } from '../../server/client/views.ts';
import { mcProcesses, runProcess } from '../helpers/child-process.ts';
import { defaultConfig } from '../../server/config.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { outsideCheckout, repository } from '../helpers/linked-mc.ts';
import { until } from '../helpers/until.ts';

let operator: HubClient;
let token: string;

// Fast timers, so a decision with a one-second deadline expires within the test.
// The built-in sample template, given so the hub gets a runner to start it.
const suite = hubSuite({ timers: { tickMs: 200 }, templates: { sample: defaultConfig.templates.sample } });
before(async () => {
  await suite.ready();
  token = suite.hub.auth.authorization!.slice('Bearer '.length);
  operator = new HubClient({ url: suite.hub.url, token });
});

const { start, mc } = mcProcesses(() => ({ MC_HUB_URL: suite.hub.url, MC_TOKEN: token }));

const pendingTitled = (title: string) => until<DecisionView>(`"${title}" in the inbox`, async () => (await operator.decisions.list({ status: 'pending' })).find((d) => d.title === title));

describe('mc', () => {
  test('--help exits 0 and lists the commands; so does --help on every command', async () => {
    const names = ['tail', 'emit', 'decide', 'decisions', 'resolve', 'cancel', 'spawn', 'inject', 'agents', 'pause', 'resume', 'stop', 'merge', 'runners', 'tasks', 'budgets', 'tokens', 'whoami'];
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
    assert.match(resolved.stdout, /approve by operator [a-z0-9]{6} \(operator:tok_[a-z0-9]+\): rotate them/);
    const view = await operator.decisions.get(id);
    assert.deepEqual([view.status, view.outcome, view.comment], ['resolved', 'approve', 'rotate them']);
  });

  for (const [outcome, code] of [['approve', 0], ['deny', 1]] as const) {
    test(`mc decide exits ${code} when an operator answers ${outcome} meanwhile`, async () => {
      const title = `Run: rm -rf build (${outcome})`;
      const decide = start(['decide', '--title', title, '--risk', 'high', '--context', 'cleans the build']);
      const { id } = await pendingTitled(title);
      await operator.decisions.resolve(id, outcome, `${outcome}d by the test`);
      assert.equal(await decide.exited, code, decide.stderr);
      assert.match(decide.stdout, new RegExp(`^${outcome} by operator [a-z0-9]{6} \\(operator:tok_[a-z0-9]+\\): ${outcome}d by the test\\n$`));
      assert.match(decide.stderr, new RegExp(`waiting for ${id}`));
    });
  }

  test('mc decide --timeout 1 exits 2 when nobody answers by the deadline', async () => {
    const run = await mc(['decide', '--title', 'Nobody answers this', '--timeout', '1']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stdout, /^expired: nobody answered \S+ by \S+; the hub applied "deny"/);
  });

  test('mc spawn prints the agent (its token goes to its runner); mc agents lists it; mc inject reaches it', async () => {
    const spawned = await mc(['spawn', 'sample', '--name', 'cli-sample', '--input', '{"n":1}']);
    assert.equal(spawned.code, 0, spawned.stderr);
    const agentId = /^agentId\s+(agt_\w+)$/m.exec(spawned.stdout)?.[1];
    assert.ok(agentId, spawned.stdout);
    assert.doesNotMatch(spawned.stdout, /mc_/);
    const agents = await mc(['agents']);
    assert.match(agents.stdout, new RegExp(`^${agentId}\\s+cli-sample\\s+`, 'm'));
    const injected = await mc(['inject', agentId, 'hello', 'there']);
    assert.equal(injected.code, 0, injected.stderr);
    assert.match(injected.stdout, new RegExp(`^injected into ${agentId} at seq \\d+`));
    const decision = await until('its decision', async () => (await operator.decisions.list({ status: 'pending' })).find((d) => d.agentId === agentId));
    await operator.decisions.resolve(decision.id, 'deny');
  });

  test('a refused token is one line on stderr and exit 3', async () => {
    const run = await mc(['agents'], { MC_TOKEN: 'mc_not_a_real_token' });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /^mc: the hub refused the token \(401 unauthorized\): .+\n$/);
    assert.equal(run.stdout, '');
  });

  test('mc tail --after past the end of the log says where the log ends and which it is, exit 3', async () => {
    const head = (await operator.events.page({ order: 'desc', limit: 1 })).head;
    const { logId } = (await operator.events.page({ limit: 1 }));
    const run = await mc(['tail', '--after', String(head + 1000)]);
    assert.equal(run.code, 3);
    assert.equal(run.stderr, `mc: GET /events failed (409 cursor_past_head): the log ends at seq ${head}, before your cursor ${head + 1000}; this log is ${logId}: start again from 0 if it is a new log\n`);
  });

  test('a hub that is down is one line on stderr and exit 3', async () => {
    for (const args of [['agents'], ['tail'], ['decide', '--title', 'Anyone there?']]) {
      const run = await mc(args, { MC_HUB_URL: 'http://127.0.0.1:59997' });
      assert.equal(run.code, 3, `mc ${args[0]}`);
      assert.equal(run.stderr, 'mc: cannot reach the hub at http://127.0.0.1:59997 (connection refused)\n');
    }
  });
});

const version = (JSON.parse(readFileSync(join(repository, 'package.json'), 'utf8')) as { version: string }).version;
const outside = outsideCheckout();

/** Runs the linked `mc` from the directory outside the checkout. */
function linkedMc(args: string[], env: Record<string, string> = {}) {
  const { dir, withMc, tools } = outside;
  return runProcess(join(withMc, 'mc'), args, { cwd: dir, env: { PATH: `${withMc}:${tools}`, HOME: dir, MC_HUB_URL: suite.hub.url, MC_TOKEN: token, ...env } });
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

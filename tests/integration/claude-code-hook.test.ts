import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { HubClient } from '../../server/client/hub-client.ts';
import type { DecisionView } from '../../server/client/views.ts';
import { startProcess } from '../helpers/child-process.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { outsideCheckout, repository } from '../helpers/linked-mc.ts';
import { until } from '../helpers/until.ts';

let operator: HubClient;
let token: string;

const suite = hubSuite();
before(async () => {
  await suite.ready();
  token = suite.hub.auth.authorization!.slice('Bearer '.length);
  operator = new HubClient({ url: suite.hub.url, token });
});

const outside = outsideCheckout();
const pendingTitled = (title: string) => until<DecisionView>(`"${title}" in the inbox`, async () => (await operator.decisions.list({ status: 'pending' })).find((d) => d.title === title));

describe('the Claude Code hook (examples/claude-code/mission-control.sh)', () => {
  const hook = join(repository, 'examples/claude-code/mission-control.sh');
  const hookInput = (command: string) => JSON.stringify({ session_id: 'sess-42', cwd: '/home/ann/shop', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } });

  function runHook(stdin: string, env: Record<string, string> = {}) {
    const { dir, withMc, tools } = outside;
    return startProcess(hook, [], { cwd: dir, stdin, env: { PATH: `${withMc}:${tools}`, HOME: dir, MC_HUB_URL: suite.hub.url, MC_TOKEN: token, ...env } });
  }

  test('an approved command exits 0; the decision names the session and the working directory', async () => {
    const run = runHook(hookInput('make deploy'));
    const decision = await pendingTitled('Run in shop: make deploy');
    assert.equal(decision.risk, 'high');
    assert.match(decision.context, /^Claude Code session sess-42 in \/home\/ann\/shop wants to run:\n\nmake deploy$/);
    await operator.decisions.resolve(decision.id, 'approve');
    assert.equal(await run.exited, 0, run.stderr);
  });

  test('a denied command exits 2 with the reason on stderr', async () => {
    const run = runHook(hookInput('rm -rf build'));
    await operator.decisions.resolve((await pendingTitled('Run in shop: rm -rf build')).id, 'deny', 'not today');
    assert.equal(await run.exited, 2);
    assert.match(run.stderr, /deny by .+ \(operator:\S+\): not today\nMission Control: the command was denied/);
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
    const run = runHook(hookInput('ls'), { PATH: outside.tools });
    assert.equal(await run.exited, 2);
    assert.match(run.stderr, /^Mission Control: mc is not on PATH: run 'npm link'/);
  });

  test('with the hub down it exits 2 with mc\'s reason on stderr', async () => {
    const run = runHook(hookInput('ls'), { MC_HUB_URL: 'http://127.0.0.1:59997' });
    assert.equal(await run.exited, 2);
    assert.match(run.stderr, /^mc: cannot reach the hub at http:\/\/127\.0\.0\.1:59997 \(connection refused\)\nMission Control: could not get an answer/);
  });
});

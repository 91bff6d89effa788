import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, test } from 'node:test';
import { HubClient } from '../../server/client/hub-client.ts';
import { mcProcesses } from '../helpers/child-process.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { until } from '../helpers/until.ts';

// The operators' commands, apart from cli.test.ts so that each file's processes fit its time limit.
let token: string;

const suite = hubSuite({ templates: { linger: { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] } } });
before(async () => {
  await suite.ready();
  token = suite.hub.auth.authorization!.slice('Bearer '.length);
});

const { mc } = mcProcesses(() => ({ MC_HUB_URL: suite.hub.url, MC_TOKEN: token }));

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

  test('mc stop stops an agent the hub started; an agent that registered itself is exit 3 with the hub\'s reason', async () => {
    const { agentId } = (await suite.hub.post('/spawn', { template: 'linger' })).body;
    const run = await mc(['stop', agentId, '--reason', 'no longer needed']);
    assert.deepEqual([run.code, run.stdout], [0, `${agentId}: stopping\n`], run.stderr);
    await until('the stopped agent to exit', async () => ((await suite.hub.get(`/agents/${agentId}`)).body.status === 'exited' ? true : undefined));
    const agent = await suite.hub.mint('agent', 'agt_cli_self');
    assert.equal((await suite.hub.post('/agents/agt_cli_self/heartbeat', {}, { authorization: `Bearer ${agent}` })).status, 200);
    const refused = await mc(['stop', 'agt_cli_self']);
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /^mc: .*409.*registered itself.*\n$/);
  });

  test('mc runners lists the runner with its status, load and labels', async () => {
    const run = await mc(['runners']);
    assert.equal(run.code, 0, run.stderr);
    const [header, row] = run.stdout.split('\n');
    assert.match(header!, /^ID\s+NAME\s+STATUS\s+LOAD\s+LABELS\s+LAST SEEN/);
    assert.match(row!, new RegExp(`^${suite.hub.runner!.runner.runnerId}\\s+\\S+\\s+online\\s+\\d+ / 8\\s+os=linux arch=x64`));
  });

  test('mc merge of an agent whose template has no workspace is exit 3 with the hub\'s reason', async () => {
    const { agentId } = (await suite.hub.post('/spawn', { template: 'linger' })).body;
    const run = await mc(['merge', agentId]);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /^mc: .*409.*has no workspace.*\n$/);
    await suite.hub.post(`/agents/${agentId}/stop`, {});
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
    [['tokens', 'burn'], 'mc tokens: the action is list, create or revoke, got "burn" (mc tokens --help)'],
    [['tokens', 'revoke'], 'mc tokens: missing <tokenId> (mc tokens --help)'],
    [['tokens', 'create', '--role', 'viewer', '--expires-in', 'soon'], 'mc tokens: --expires-in must be a whole number of seconds, got "soon" (mc tokens --help)'],
    [['tokens', 'create', '--role', 'agent'], 'mc tokens: --role agent needs --agent <agentId> (mc tokens --help)'],
    [['tokens', 'create', '--role', 'boss'], 'mc tokens: --role must be one of admin, operator, agent, healer, viewer, runner, coder, got "boss" (mc tokens --help)'],
  ] as const) {
    test(`mc ${args.join(' ')} is one line on stderr and exit 3`, async () => {
      const run = await mc([...args], { MC_TOKEN: suite.hub.adminToken });
      assert.deepEqual([run.code, run.stderr, run.stdout], [3, `${message}\n`, '']);
    });
  }

  test('mc tokens lists tokens without secrets, and mc tokens revoke makes one refused', async () => {
    const minted = await mc(['tokens', 'create', '--role', 'viewer', '--name', 'bo'], { MC_TOKEN: suite.hub.adminToken });
    const id = /token (\S+) \(bo\)/.exec(minted.stderr)![1]!;
    const listed = await mc(['tokens'], { MC_TOKEN: suite.hub.adminToken });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ID +ROLE +AGENT +NAME +STATE$/m);
    assert.match(listed.stdout, new RegExp(`^${id} +viewer +- +bo +active$`, 'm'));
    assert.ok(!listed.stdout.includes(minted.stdout.trim()), 'no secret is listed');
    const revoked = await mc(['tokens', 'revoke', id], { MC_TOKEN: suite.hub.adminToken });
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, new RegExp(`^${id}: revoked at \\S+\n$`));
    const refused = await mc(['whoami'], { MC_TOKEN: minted.stdout.trim() });
    assert.equal(refused.code, 3);
    assert.match((await mc(['tokens', 'list'], { MC_TOKEN: suite.hub.adminToken })).stdout, new RegExp(`^${id} +viewer +- +bo +revoked$`, 'm'));
  });

  test('mc tokens create with an operator token is refused: exit 3', async () => {
    const run = await mc(['tokens', 'create', '--role', 'viewer']);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /^mc: .*403.*\n$/);
  });
});

describe('mc webhooks and mc people (admin)', () => {
  const admin = () => ({ MC_TOKEN: suite.hub.adminToken });

  test('mc webhooks add prints the secret once; the webhook is listed, its deliveries shown, and mc webhooks rm deletes it', async (t) => {
    const receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => (receiver.closeAllConnections(), receiver.close(() => resolve()))));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    const added = await mc(['webhooks', 'add', url, '--types', 'x.cli.*, agent.failed', '--description', 'the CLI test'], admin());
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /^whsec_[A-Za-z0-9+/]{32}\n$/);
    const id = new RegExp(`^added webhook (whk_\\w+): x\\.cli\\.\\*, agent\\.failed to ${url}; the secret above signs its deliveries and is shown only now\n$`).exec(added.stderr)?.[1];
    assert.ok(id, added.stderr);

    const listed = await mc(['webhooks'], admin());
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ID +STATE +FAILURES +TYPES +URL +DESCRIPTION$/m);
    assert.match(listed.stdout, new RegExp(`^${id} +active +0 +x\\.cli\\.\\*,agent\\.failed +${url} +the CLI test$`, 'm'));
    assert.ok(!listed.stdout.includes(added.stdout.trim()), 'no secret is listed');

    const appended = await suite.hub.post('/events', { type: 'x.cli.done', data: { step: 1 } });
    assert.equal(appended.status, 201, JSON.stringify(appended.body));
    const hub = new HubClient({ url: suite.hub.url, token: suite.hub.adminToken });
    await until('the delivery to be delivered', async () => ((await hub.webhooks.deliveries(id)).some((d) => d.status === 'delivered') ? true : undefined));
    const deliveries = await mc(['webhooks', 'deliveries', id, '--limit', '5'], admin());
    assert.equal(deliveries.code, 0, deliveries.stderr);
    assert.match(deliveries.stdout, /^SEQ +ID +TYPE +STATUS +ATTEMPTS +NEXT ATTEMPT +LAST$/m);
    assert.match(deliveries.stdout, new RegExp(`^${appended.body.seq} +dlv_\\w+ +x\\.cli\\.done +delivered +1 +- +204$`, 'm'));

    const removed = await mc(['webhooks', 'rm', id], admin());
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, new RegExp(`^${id}: deleted at \\S+\n$`));
    assert.ok(!(await mc(['webhooks', 'list'], admin())).stdout.includes(id), 'a deleted webhook is not listed');
    const gone = await mc(['webhooks', 'deliveries', id], admin());
    assert.equal(gone.code, 3);
    assert.match(gone.stderr, /^mc: .*404 not_found.*no webhook.*\n$/);
  });

  test('mc webhooks add of a URL that is not http is exit 3 with the hub\'s 400 reason', async () => {
    const run = await mc(['webhooks', 'add', 'ftp://example.com/hook', '--types', 'agent.failed'], admin());
    assert.deepEqual([run.code, run.stdout], [3, '']);
    assert.equal(run.stderr, 'mc: POST /webhooks failed (400 validation_failed): /url must be an http or https URL (such as https://example.com/hooks/mission-control)\n');
  });

  for (const [args, message] of [
    [['webhooks', 'add', 'https://example.com/hook'], "mc webhooks: --types is required: the event types to deliver, e.g. --types 'decision.*,agent.failed' (mc webhooks --help)"],
    [['webhooks', 'add', '--types', 'agent.failed'], 'mc webhooks: missing <url> (mc webhooks --help)'],
    [['webhooks', 'deliveries', 'whk_x', '--limit', 'all'], 'mc webhooks: --limit must be a whole number from 1 up, got "all" (mc webhooks --help)'],
    [['webhooks', 'retry', 'whk_x'], 'mc webhooks: missing <deliveryId> (mc webhooks --help)'],
    [['webhooks', 'purge'], 'mc webhooks: the action is list, add, rm, deliveries, retry or resume, got "purge" (mc webhooks --help)'],
  ] as const) {
    test(`mc ${args.join(' ')} is one line on stderr and exit 3`, async () => {
      const run = await mc([...args], admin());
      assert.deepEqual([run.code, run.stderr, run.stdout], [3, `${message}\n`, '']);
    });
  }

  test('mc people with no people configured says so', async () => {
    const run = await mc(['people'], admin());
    assert.deepEqual([run.code, run.stdout], [0, "no people configured: add them under people in the hub's config file\n"], run.stderr);
  });

  describe('with people configured', () => {
    const slack = 'https://hooks.slack.com/services/T0/B0/secretpart';
    const people = hubSuite({ people: { ann: { email: 'ann@example.com', slack }, bo: {} } });

    test('mc people lists each person\'s contact points, never a Slack URL whole', async () => {
      await people.ready();
      const run = await mc(['people'], { MC_HUB_URL: people.hub.url, MC_TOKEN: people.hub.adminToken });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(run.stdout.split('\n').map((line) => line.split(/ {2,}/)), [
        ['PERSON', 'CHANNEL', 'ID', 'ADDRESS', 'STATE'],
        ['ann', 'email', 'cp_ann.email', 'ann@example.com', 'ok'],
        ['ann', 'slack', 'cp_ann.slack', 'https://hooks.slack.com/…', 'ok'],
        ['bo', '-', '-', '-', 'no contact point: told only in the dashboard'],
        [''],
      ]);
      assert.ok(!run.stdout.includes('secretpart') && !run.stdout.includes('/services/'), 'the Slack path is a secret');
    });
  });
});

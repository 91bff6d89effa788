// Claude Code's hooks over HTTP (POST /integrations/claude-code/hooks), fed the hook inputs of
// tests/fixtures/claude-code/, one per hook event: each is logged about the session's agent and
// answered in Claude Code's own output format; tool calls are judged by the policy, by a decision
// the hook waits on, or refused while paused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import type { EventEnvelope } from '../../server/client/views.ts';
import { anotherOperator, bearer } from '../helpers/decisions.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { testHub } from '../helpers/hub.ts';
import { until } from '../helpers/until.ts';

const suite = hubSuite({ codingAgents: { decisionWaitSec: 30, textChars: 200, hookBodyBytes: 32 * 1024 * 1024 } });
let coder: Record<string, string>;
let otherCoder: Record<string, string>;

before(async () => {
  await suite.ready();
  coder = bearer(await suite.hub.mint('coder'));
  otherCoder = bearer(await suite.hub.mint('coder'));
});

const recorded = (event: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../fixtures/claude-code/${event}.json`, import.meta.url), 'utf8'));
let sessions = 0;
/** A fresh session, so the tests do not share an agent. */
const newSession = () => `3f2a1b7c-0000-4000-8000-${String(++sessions).padStart(12, '0')}`;
const hook = (payload: unknown, headers = coder) => suite.hub.post('/integrations/claude-code/hooks', payload, headers);
const preToolUse = (session: string, tool: string, input: Record<string, unknown>) => ({ ...recorded('PreToolUse'), session_id: session, tool_name: tool, tool_input: input });
const decisionOf = (answer: { body: { hookSpecificOutput?: Record<string, unknown> } }) => answer.body.hookSpecificOutput;
const eventsOf = async (agentId: string): Promise<EventEnvelope[]> => (await suite.hub.get(`/events?agent=${agentId}&limit=1000`)).body.events;
const pendingFor = (agentId: string) => until('its decision', async () => (await suite.hub.get('/decisions?status=pending')).body.decisions.find((d: { agentId: string }) => d.agentId === agentId));

describe('every Claude Code hook event', () => {
  const session = '3f2a1b7c-0d4e-4a5b-9c8d-1e2f3a4b5c6d';
  const agentId = `cc-${session}`;
  const expected: Array<[string, string]> = [
    ['SessionStart', 'session.started'],
    ['UserPromptSubmit', 'session.prompted'],
    ['PreToolUse', 'tool.requested'],
    ['PostToolUse', 'tool.completed'],
    ['PostToolUseFailure', 'tool.failed'],
    ['Notification', 'session.notified'],
    ['PreCompact', 'session.compacting'],
    ['SubagentStop', 'session.stopped'],
    ['Stop', 'session.stopped'],
    ['SessionEnd', 'session.ended'],
  ];

  test('each is logged about the session, with its directory and transcript; the session is an agent named from its directory, ended by SessionEnd', async () => {
    for (const [name, type] of expected) {
      const res = await hook(recorded(name));
      assert.equal(res.status, 200, `${name}: ${JSON.stringify(res.body)}`);
      const [last] = (await suite.hub.get(`/events?agent=${agentId}&types=${type}&order=desc&limit=1`)).body.events as EventEnvelope[];
      assert.ok(last, `${name} is logged as ${type}`);
      assert.deepEqual([last.data.vendor, last.data.sessionId, last.data.cwd], ['claude-code', session, '/home/ann/shop'], name);
      assert.match(String(last.data.transcriptPath), /3f2a1b7c-0d4e-4a5b-9c8d-1e2f3a4b5c6d\.jsonl$/);
      if (name === 'SessionStart') {
        const agent = (await suite.hub.get(`/agents/${agentId}`)).body;
        assert.deepEqual([agent.name, agent.status], ['shop 3f2a1b7c', 'running']);
      }
    }
    const agent = (await suite.hub.get(`/agents/${agentId}`)).body;
    assert.equal(agent.status, 'exited', 'SessionEnd ends its agent');
    const types = (await eventsOf(agentId)).map((e) => e.type);
    assert.equal(types.filter((t) => t === 'agent.registered').length, 1, 'registered once, by its first hook');
  });

  test('the hooks that only report answer with no opinion; PreToolUse answers in its own format', async () => {
    const session2 = newSession();
    assert.deepEqual((await hook({ ...recorded('Stop'), session_id: session2 })).body, {});
    const res = await hook({ ...recorded('PreToolUse'), session_id: session2 });
    assert.deepEqual(res.body, {
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow', permissionDecisionReason: 'allowed by policy rule "read-only-commands": the command only reads' },
    });
  });
});

describe('the policy decides tool calls', () => {
  test('git status is allowed at once, and the verdict is logged with its rule', async () => {
    const session = newSession();
    const res = await hook(preToolUse(session, 'Bash', { command: 'git status' }));
    assert.equal(decisionOf(res)?.permissionDecision, 'allow');
    assert.equal((await suite.hub.get(`/decisions?status=pending`)).body.decisions.filter((d: { agentId: string }) => d.agentId === `cc-${session}`).length, 0, 'no one was asked');
    const [requested] = (await eventsOf(`cc-${session}`)).filter((e) => e.type === 'tool.requested');
    assert.deepEqual(requested!.data.policy, { rule: 'read-only-commands', verdict: 'allow', reason: 'the command only reads', source: 'shipped' });
  });

  test('git push --force waits for two operators, is then allowed, and the decision shows the session, the directory and the command', async () => {
    const session = newSession();
    const answer = hook(preToolUse(session, 'Bash', { command: 'git push --force origin main' }));
    const decision = await pendingFor(`cc-${session}`);
    assert.equal(decision.risk, 'red');
    assert.equal(decision.tool, 'Bash', 'the view says it is a tool call, so it may be allowed from now on');
    assert.equal(decision.title, 'Run in shop: git push --force origin main');
    assert.match(decision.context, new RegExp(`^Claude Code session ${session} in /home/ann/shop wants to run:\n\ngit push --force origin main\n\nPolicy: rule "force-push"`));
    assert.equal((await suite.hub.get(`/agents/cc-${session}`)).body.status, 'awaiting_decision');
    assert.equal((await suite.hub.post(`/decisions/${decision.id}/resolve`, { outcome: 'approve' })).status, 200);
    assert.equal((await suite.hub.post(`/decisions/${decision.id}/resolve`, { outcome: 'approve' }, await anotherOperator(suite.hub))).status, 200);
    const res = await answer;
    assert.equal(decisionOf(res)?.permissionDecision, 'allow');
    assert.match(String(decisionOf(res)?.permissionDecisionReason), /^approved by .+ \(decision dec_/);
  });

  test('a denial reaches the agent with its reason', async () => {
    const session = newSession();
    const answer = hook(preToolUse(session, 'Bash', { command: 'npm publish' }));
    const decision = await pendingFor(`cc-${session}`);
    assert.equal(decision.risk, 'high', 'what no rule names is high');
    await suite.hub.post(`/decisions/${decision.id}/resolve`, { outcome: 'deny', comment: 'not before the release notes' });
    const output = decisionOf(await answer);
    assert.equal(output?.permissionDecision, 'deny');
    assert.match(String(output?.permissionDecisionReason), /^denied by .+ \(decision dec_\S+\): not before the release notes$/);
  });

  test('an Edit shows the file and a unified diff of the change', async () => {
    const session = newSession();
    const answer = hook(preToolUse(session, 'Edit', { file_path: '/home/ann/shop/src/cart.ts', old_string: 'return total;', new_string: 'return total ?? 0;' }));
    const decision = await pendingFor(`cc-${session}`);
    assert.equal(decision.title, 'Edit in shop: src/cart.ts');
    assert.match(decision.context, /wants to change \/home\/ann\/shop\/src\/cart\.ts:/);
    assert.match(decision.context, /\n-return total;\n\+return total \?\? 0;\n/);
    await suite.hub.post(`/decisions/${decision.id}/resolve`, { outcome: 'approve' });
    assert.equal(decisionOf(await answer)?.permissionDecision, 'allow');
  });

  test('PermissionRequest answers with a decision behavior', async () => {
    const session = newSession();
    const answer = hook({ ...recorded('PermissionRequest'), session_id: session });
    const decision = await pendingFor(`cc-${session}`);
    await suite.hub.post(`/decisions/${decision.id}/resolve`, { outcome: 'deny', comment: 'no' });
    assert.deepEqual((await answer).body.hookSpecificOutput.decision.behavior, 'deny');
    assert.match((await answer).body.hookSpecificOutput.decision.message, /: no$/);
  });

  test('"approve and allow from now on" adds a rule: the same call of the same agent is then allowed at once', async () => {
    const session = newSession();
    const call = preToolUse(session, 'Bash', { command: 'npm run deploy:staging' });
    const first = hook(call);
    const decision = await pendingFor(`cc-${session}`);
    assert.equal((await suite.hub.post(`/decisions/${decision.id}/resolve`, { outcome: 'approve', allowFromNow: 'agent' })).status, 200);
    assert.equal(decisionOf(await first)?.permissionDecision, 'allow');
    const again = await hook(call);
    assert.equal(decisionOf(again)?.permissionDecision, 'allow');
    assert.match(String(decisionOf(again)?.permissionDecisionReason), new RegExp(`rule "from-${decision.id}"`));
    const added = (await suite.hub.get(`/events?types=policy.rule_added&limit=1000`)).body.events as EventEnvelope[];
    assert.ok(added.some((e) => (e.data.rule as { name: string }).name === `from-${decision.id}`));
    // Another session is not that agent: it still asks.
    const other = newSession();
    const elsewhere = hook(preToolUse(other, 'Bash', { command: 'npm run deploy:staging' }));
    const asked = await pendingFor(`cc-${other}`);
    await suite.hub.post(`/decisions/${asked.id}/resolve`, { outcome: 'deny' });
    assert.equal(decisionOf(await elsewhere)?.permissionDecision, 'deny');
  });

  test('allowFromNow is refused with a denial, and for a decision that is no tool call', async () => {
    const plain = await suite.hub.post('/decisions', { title: 'Ship it?', risk: 'high' });
    const withDeny = await suite.hub.post(`/decisions/${plain.body.id}/resolve`, { outcome: 'deny', allowFromNow: 'agent' });
    assert.equal(withDeny.status, 400);
    const notATool = await suite.hub.post(`/decisions/${plain.body.id}/resolve`, { outcome: 'approve', allowFromNow: 'everyone' });
    assert.equal(notATool.status, 400);
    assert.match(notATool.body.detail, /not about a tool call/);
    assert.equal((await suite.hub.get(`/decisions/${plain.body.id}`)).body.status, 'pending', 'nothing half-written');
  });
});

describe('pause reaches coding agents', () => {
  test("a paused session's tool calls are denied with who paused it and why, until it is resumed", async () => {
    const session = newSession();
    const agentId = `cc-${session}`;
    await hook({ ...recorded('SessionStart'), session_id: session });
    assert.equal((await suite.hub.post(`/agents/${agentId}/pause`, { reason: 'reviewing its last push' })).status, 200);
    const denied = decisionOf(await hook(preToolUse(session, 'Bash', { command: 'git status' })));
    assert.equal(denied?.permissionDecision, 'deny');
    assert.match(String(denied?.permissionDecisionReason), /^paused by .+: reviewing its last push$/);
    await suite.hub.post(`/agents/${agentId}/resume`, {});
    assert.equal(decisionOf(await hook(preToolUse(session, 'Bash', { command: 'git status' })))?.permissionDecision, 'allow');
  });

  test('pause-all denies every session, even one that starts while paused', async () => {
    assert.equal((await suite.hub.post('/pause-all', { reason: 'incident 42' })).status, 200);
    try {
      const denied = decisionOf(await hook(preToolUse(newSession(), 'Bash', { command: 'ls' })));
      assert.equal(denied?.permissionDecision, 'deny');
      assert.match(String(denied?.permissionDecisionReason), /^paused by .+: incident 42$/);
    } finally {
      await suite.hub.post('/resume-all', {});
    }
  });
});

describe('bad hook input', () => {
  test('not JSON, not an object, no hook_event_name or session_id: a 400 that says what is missing, nothing logged', async () => {
    const before = (await suite.hub.get('/events?limit=1&order=desc')).body.head;
    for (const [body, detail] of [
      ['{not json', /not valid JSON/],
      [[1, 2], /JSON object/],
      [{ session_id: 'abc' }, /hook_event_name/],
      [{ hook_event_name: 'Stop' }, /session_id/],
      [{ hook_event_name: 'Stop', session_id: '../../etc' }, /session_id/],
      [{ hook_event_name: 'PreToolUse', session_id: 'abc' }, /tool_name/],
    ] as const) {
      const res = await hook(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.detail, detail);
    }
    assert.equal((await suite.hub.get('/events?limit=1&order=desc')).body.head, before);
  });

  test('an event the hub does not know is logged as unknown and answered with no opinion', async () => {
    const session = newSession();
    const res = await hook({ ...recorded('Stop'), session_id: session, hook_event_name: 'TeammateIdle', teammate: 'bob' });
    assert.deepEqual([res.status, res.body], [200, {}]);
    const [unknown] = (await eventsOf(`cc-${session}`)).filter((e) => e.type === 'session.hook_unknown');
    assert.equal(unknown?.data.hookEventName, 'TeammateIdle');
  });

  test('a 10 MB tool input is judged and logged cut, with a marker', async () => {
    const session = newSession();
    const content = 'x'.repeat(10 * 1024 * 1024);
    const answer = hook(preToolUse(session, 'Write', { file_path: '/home/ann/shop/big.txt', content }));
    const decision = await pendingFor(`cc-${session}`);
    assert.ok(decision.context.length <= 16_000);
    await suite.hub.post(`/decisions/${decision.id}/resolve`, { outcome: 'deny' });
    assert.equal(decisionOf(await answer)?.permissionDecision, 'deny');
    const [requested] = (await eventsOf(`cc-${session}`)).filter((e) => e.type === 'tool.requested');
    const logged = (requested!.data.input as { content: string }).content;
    assert.ok(logged.length < 1000 && logged.endsWith(`[cut: ${content.length - 200} more characters]`), logged.slice(-80));
  });

  test("a session of another token is a 403, and changes nothing of that token's agent", async () => {
    const session = newSession();
    await hook({ ...recorded('SessionStart'), session_id: session });
    const res = await hook({ ...recorded('SessionEnd'), session_id: session }, otherCoder);
    assert.equal(res.status, 403);
    assert.match(res.body.detail, /another token/);
    assert.equal((await suite.hub.get(`/agents/cc-${session}`)).body.status, 'running');
  });

  test('an unknown vendor is a 404 naming the known; no token is a 401; other roles are 403', async () => {
    const unknown = await suite.hub.post('/integrations/codex/hooks', recorded('Stop'), coder);
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.detail, /claude-code/);
    assert.equal((await suite.hub.post('/integrations/claude-code/hooks', recorded('Stop'), {})).status, 401);
    for (const role of ['operator', 'viewer', 'agent'] as const) {
      assert.equal((await hook(recorded('Stop'), bearer(await suite.hub.mint(role, role === 'agent' ? 'agt_hooked' : undefined)))).status, 403, role);
    }
  });
});

test('a hub whose policy rule has a broken regular expression refuses to start, naming the rule and the error', async () => {
  await assert.rejects(
    testHub(suite.database.url, { policies: { rules: [{ name: 'pushes', match: { tool: 'Bash', command: 'git (push' }, verdict: 'red' }], shipped: true } }),
    /policy rule "pushes": match\.command is not a valid regular expression: .*Unterminated group/,
  );
});

describe('POST /policies/check', () => {
  test('says which rule fires and why, asking no one and logging nothing', async () => {
    const before = (await suite.hub.get('/events?limit=1&order=desc')).body.head;
    const push = await suite.hub.post('/policies/check', { tool: 'Bash', command: 'git push -f origin main' });
    assert.deepEqual(push.body, { rule: 'force-push', verdict: 'red', reason: 'a force-push rewrites shared history', source: 'shipped' });
    assert.equal((await suite.hub.post('/policies/check', { tool: 'Bash', command: 'npm test' }, coder)).body.verdict, 'allow');
    assert.equal((await suite.hub.post('/policies/check', { tool: 'Write', path: '/etc/passwd', cwd: '/home/ann/shop' })).body.rule, 'outside-workspace');
    assert.equal((await suite.hub.post('/policies/check', { tool: 'Bash', command: 'make deploy' })).body.rule, 'unmatched');
    assert.equal((await suite.hub.get('/events?limit=1&order=desc')).body.head, before);
  });

  test('bad input is a 400; an unknown agent a 404', async () => {
    assert.equal((await suite.hub.post('/policies/check', { command: 'ls' })).status, 400);
    assert.equal((await suite.hub.post('/policies/check', { tool: 'Bash', risk: 'scary' })).status, 400);
    assert.equal((await suite.hub.post('/policies/check', { tool: 'Bash', agentId: 'agt_nobody' })).status, 404);
  });
});

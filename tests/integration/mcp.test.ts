import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import type { DecisionView } from '../../server/client/views.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { bearer } from '../helpers/hub.ts';
import { repository } from '../helpers/linked-mc.ts';
import { assertProblem, send } from '../helpers/problem.ts';
import { until } from '../helpers/until.ts';

const suite = hubSuite();

const toolNames = ['check_policy', 'claim_task', 'list_tasks', 'read_messages', 'report_progress', 'request_decision', 'update_task'];

let agents = 0;

/** A fresh agent: its id and token, registered by a heartbeat so operators can reach it. */
async function newAgent(): Promise<{ agentId: string; token: string }> {
  const agentId = `agt_mcp_${++agents}`;
  const token = await suite.hub.mint('agent', agentId);
  assert.equal((await suite.hub.post(`/agents/${agentId}/heartbeat`, {}, bearer(token))).status, 200);
  return { agentId, token };
}

/** The SDK's own client on the hub's /mcp (Streamable HTTP) with `token`, closed after the test file. */
async function overHttp(token: string): Promise<Client> {
  const client = new Client({ name: 'mcp-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${suite.hub.url}/mcp`), { requestInit: { headers: bearer(token) } }));
  after(() => client.close());
  return client;
}

/** The SDK's own client on `mc mcp`, a real child process speaking stdio, closed after the test file. */
async function overStdio(token: string): Promise<Client> {
  const client = new Client({ name: 'mcp-test', version: '1.0.0' });
  const env = { ...(process.env as Record<string, string>), MC_HUB_URL: suite.hub.url, MC_TOKEN: token };
  await client.connect(new StdioClientTransport({ command: process.execPath, args: ['--import', 'tsx', 'server/cli/main.ts', 'mcp'], cwd: repository, env, stderr: 'ignore' }));
  after(() => client.close());
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

async function todoTask(title: string, agentId?: string): Promise<string> {
  const res = await suite.hub.post('/tasks', { title, ...(agentId ? { agentId } : {}) });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

/** An MCP initialize request, as a client's first POST. */
const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

function postMcp(headers: Record<string, string>) {
  return send(`${suite.hub.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(initialize),
  });
}

describe('/mcp over Streamable HTTP', () => {
  let agentId: string;
  let client: Client;
  before(async () => {
    await suite.ready();
    const agent = await newAgent();
    agentId = agent.agentId;
    client = await overHttp(agent.token);
  });

  test('lists the tools', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), toolNames);
    for (const tool of tools) assert.ok(tool.description && tool.inputSchema.type === 'object', tool.name);
  });

  test('request_decision waits, reporting progress, and returns the answer an operator gave over HTTP', async () => {
    const progress: Progress[] = [];
    const title = 'Drop the staging database?';
    const waiting = client.callTool({ name: 'request_decision', arguments: { title, risk: 'high', context: 'it is stale' } }, undefined, {
      onprogress: (p) => progress.push(p),
      resetTimeoutOnProgress: true,
    });
    const asked = await until<DecisionView>('the decision in the inbox', async () => (await suite.hub.client.decisions.list({ status: 'pending' })).find((d) => d.title === title));
    assert.equal(asked.agentId, agentId);
    await until('a progress notification while it waits', () => (progress.length > 0 ? true : undefined));
    assert.match(progress[0]!.message ?? '', new RegExp(`waiting for an operator to answer ${asked.id}`));
    const resolved = await suite.hub.post(`/decisions/${asked.id}/resolve`, { outcome: 'deny', comment: 'keep it for now' });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    const result = (await waiting) as CallToolResult;
    assert.equal(result.isError, undefined);
    assert.match(textOf(result), /^Denied: do not do it\. Decision dec_\w+ was answered "deny" by operator:tok_\w+: keep it for now$/);
    assert.deepEqual(
      { ...(result.structuredContent as object), resolvedBy: 'x' },
      { decisionId: asked.id, status: 'resolved', outcome: 'deny', resolvedBy: 'x', comment: 'keep it for now', expiresAt: asked.expiresAt, escalatedTo: null },
    );
  });

  test('a client that goes away while request_decision waits withdraws the decision', async () => {
    const { token } = await newAgent();
    const leaving = new Client({ name: 'mcp-test', version: '1.0.0' });
    await leaving.connect(new StreamableHTTPClientTransport(new URL(`${suite.hub.url}/mcp`), { requestInit: { headers: bearer(token) } }));
    const title = 'Anyone still there?';
    const waiting = leaving.callTool({ name: 'request_decision', arguments: { title, risk: 'high' } }).catch((error: unknown) => error);
    const asked = await until<DecisionView>('the decision in the inbox', async () => (await suite.hub.client.decisions.list({ status: 'pending' })).find((d) => d.title === title));
    await leaving.close();
    assert.ok((await waiting) instanceof Error);
    const withdrawn = await until('the decision cancelled', async () => {
      const view = await suite.hub.client.decisions.get(asked.id);
      return view.status === 'cancelled' ? view : undefined;
    });
    assert.equal(withdrawn.comment, 'the asking agent stopped waiting (its MCP call was cancelled)');
  });

  test('a low-risk request_decision is approved by policy at once', async () => {
    const result = await call(client, 'request_decision', { title: 'Format the code?', risk: 'low' });
    assert.match(textOf(result), /^Approved: go ahead\. .* by policy: approved by policy: low risk$/);
  });

  test('claim_task takes a todo task and starts it; update_task sends it to review with the reason', async () => {
    const taskId = await todoTask('Write the release notes');
    const listed = await call(client, 'list_tasks', { status: 'todo' });
    assert.match(textOf(listed), new RegExp(`^${taskId}  todo  normal  unassigned  Write the release notes$`, 'm'));
    const claimed = await call(client, 'claim_task', { taskId });
    assert.equal(claimed.isError, undefined, textOf(claimed));
    assert.equal(textOf(claimed), `Task ${taskId} is yours and in_progress: Write the release notes`);
    const updated = await call(client, 'update_task', { taskId, to: 'review', reason: 'notes drafted' });
    assert.equal(textOf(updated), `Task ${taskId} is now review: Write the release notes`);
    const task = (await suite.hub.get(`/tasks/${taskId}`)).body;
    assert.deepEqual([task.status, task.agentId], ['review', agentId]);
    const moves = (await suite.hub.get(`/events?task=${taskId}&types=task.transitioned`)).body.events;
    assert.deepEqual(
      moves.map((e: { actor: string; data: { to: string; reason?: string } }) => [e.actor, e.data.to, e.data.reason]),
      [
        [`agent:${agentId}`, 'in_progress', undefined],
        [`agent:${agentId}`, 'review', 'notes drafted'],
      ],
    );
  });

  test('report_progress appends an x.progress event about the agent and its task', async () => {
    const taskId = await todoTask('Port the parser', agentId);
    const result = await call(client, 'report_progress', { text: 'parser ported, tests next', taskId });
    const { eventId } = result.structuredContent as { eventId: string };
    const event = (await suite.hub.get(`/events/${eventId}`)).body;
    assert.deepEqual([event.type, event.actor, event.agentId, event.taskId, event.data], ['x.progress', `agent:${agentId}`, agentId, taskId, { text: 'parser ported, tests next' }]);
  });

  test('check_policy names the rule a call would meet, and asks no one', async () => {
    const push = await call(client, 'check_policy', { tool: 'Bash', command: 'git push --force origin main' });
    assert.equal(push.isError, undefined);
    assert.deepEqual(push.structuredContent, { rule: 'force-push', verdict: 'red', reason: 'a force-push rewrites shared history', source: 'shipped' });
    assert.match((push.content as Array<{ text: string }>)[0]!.text, /^red by rule "force-push"/);
    const status = await call(client, 'check_policy', { tool: 'Bash', command: 'git status' });
    assert.equal((status.structuredContent as { verdict: string }).verdict, 'allow');
  });

  test('read_messages returns an injected message once, then only newer ones after its cursor', async () => {
    assert.equal((await suite.hub.post('/inject', { agentId, message: 'use the staging database' })).status, 202);
    const first = await call(client, 'read_messages');
    const { messages, cursor } = first.structuredContent as { messages: Array<{ message: string; from: string }>; cursor: number };
    assert.deepEqual(messages.map((m) => m.message), ['use the staging database']);
    assert.match(messages[0]!.from, /^operator:tok_/);
    const again = await call(client, 'read_messages', { after: cursor });
    assert.deepEqual((again.structuredContent as { messages: unknown[] }).messages, []);
    assert.match(textOf(again), /^No new messages\. Cursor: \d+\.$/);
    assert.equal((await suite.hub.post('/inject', { agentId, message: 'and stop at noon' })).status, 202);
    const newer = await call(client, 'read_messages', { after: cursor });
    assert.deepEqual((newer.structuredContent as { messages: Array<{ message: string }> }).messages.map((m) => m.message), ['and stop at noon']);
  });

  test('an unknown task is a tool error with the hub\'s 404 detail', async () => {
    const result = await call(client, 'claim_task', { taskId: 'tsk_nope' });
    assert.equal(result.isError, true);
    assert.equal(textOf(result), 'the hub refused (404 not_found): no task "tsk_nope"; GET /tasks lists them');
    assert.deepEqual(result.structuredContent, { status: 404, code: 'not_found', detail: 'no task "tsk_nope"; GET /tasks lists them' });
  });

  test("another agent's task is a tool error with the hub's 403 detail, and stays theirs", async () => {
    const taskId = await todoTask('Not yours', 'agt_someone_else');
    const result = await call(client, 'claim_task', { taskId });
    assert.equal(result.isError, true);
    assert.match(textOf(result), new RegExp(`^the hub refused \\(403 forbidden\\): task ${taskId} is assigned to agt_someone_else; an agent moves only its own tasks`));
    assert.deepEqual([(await suite.hub.get(`/tasks/${taskId}`)).body.status, (await suite.hub.get(`/tasks/${taskId}`)).body.agentId], ['todo', 'agt_someone_else']);
  });

  test('a move the board does not allow is a tool error naming the moves it does', async () => {
    const taskId = await todoTask('Still todo', agentId);
    const result = await call(client, 'update_task', { taskId, to: 'review' });
    assert.equal(result.isError, true);
    assert.match(textOf(result), new RegExp(`^the hub refused \\(409 conflict\\): cannot move task ${taskId} from todo to review; allowed: in_progress`));
    await call(client, 'claim_task', { taskId });
    await call(client, 'update_task', { taskId, to: 'review' });
    const done = await call(client, 'update_task', { taskId, to: 'done' });
    assert.equal(done.isError, true);
    assert.match(textOf(done), /^the hub refused \(403 forbidden\): an agent may not move a task from review to done; it may move this one to: nothing; an operator can make the other moves$/);
  });

  test('arguments off the schema are a tool error that names the argument', async () => {
    const result = await call(client, 'update_task', { taskId: 'tsk_1', to: 'sideways' });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /Invalid arguments for tool update_task.*to/s);
    const noRisk = await call(client, 'request_decision', { title: 'Deploy?' });
    assert.equal(noRisk.isError, true);
    assert.match(textOf(noRisk), /risk/);
  });
});

describe('/mcp refuses callers that are not agents', () => {
  before(() => suite.ready());

  test('no token is a 401 with a Bearer challenge', async () => {
    const answer = await postMcp({});
    assertProblem(answer, 401, 'unauthorized', /POST \/mcp needs a token/);
  });

  test('a viewer token, or an operator token, is a 403', async () => {
    for (const role of ['viewer', 'operator'] as const) {
      assertProblem(await postMcp(bearer(await suite.hub.mint(role))), 403, 'forbidden', new RegExp(`${role} token may not call POST /mcp; allowed: agent`));
    }
  });

  test('an unknown token is a 401 invalid_token', async () => {
    assertProblem(await postMcp(bearer('mc_not_a_real_token')), 401, 'unauthorized', /the token is unknown/);
  });

  test('GET and DELETE are 405: the server is stateless, with no stream or session of its own', async () => {
    const { token } = await newAgent();
    for (const method of ['GET', 'DELETE']) {
      const answer = await send(`${suite.hub.url}/mcp`, { method, headers: { ...bearer(token), accept: 'text/event-stream' } });
      assertProblem(answer, 405, 'method_not_allowed', /this path takes POST/);
    }
  });
});

describe('mc mcp over stdio', () => {
  before(() => suite.ready());

  test('offers the same tools, acting for the token\'s agent through the hub\'s HTTP API', async () => {
    const { agentId, token } = await newAgent();
    const client = await overStdio(token);
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), toolNames);
    const overHub = await (await overHttp(token)).listTools();
    assert.deepEqual(tools, overHub.tools);
    const taskId = await todoTask('Over stdio');
    assert.equal(textOf(await call(client, 'claim_task', { taskId })), `Task ${taskId} is yours and in_progress: Over stdio`);
    assert.equal((await suite.hub.get(`/tasks/${taskId}`)).body.agentId, agentId);
    const refused = await call(client, 'claim_task', { taskId: 'tsk_nope' });
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /404 not_found/);
  });

  test('request_decision over stdio reports progress and returns the answer', async () => {
    const { token } = await newAgent();
    const client = await overStdio(token);
    const progress: Progress[] = [];
    const title = 'Push to main over stdio?';
    const waiting = client.callTool({ name: 'request_decision', arguments: { title, risk: 'medium' } }, undefined, { onprogress: (p) => progress.push(p), resetTimeoutOnProgress: true });
    const asked = await until<DecisionView>('the decision in the inbox', async () => (await suite.hub.client.decisions.list({ status: 'pending' })).find((d) => d.title === title));
    await until('a progress notification', () => (progress.length > 0 ? true : undefined));
    await suite.hub.client.decisions.resolve(asked.id, 'approve', 'ship it');
    const result = (await waiting) as CallToolResult;
    assert.match(textOf(result), /^Approved: go ahead\. .*: ship it$/);
  });

  test('a token that speaks for no agent gets tool errors that say to use an agent token', async () => {
    const client = await overStdio(await suite.hub.mint('operator'));
    const result = await call(client, 'list_tasks');
    assert.equal(result.isError, true);
    assert.match(textOf(result), /^the hub refused \(403 forbidden\): the Mission Control tools act for an agent, and this token \(operator:tok_\w+, role operator\) speaks for none: use the agent's own token/);
  });
});

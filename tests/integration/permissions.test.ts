import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { inspectRoutes } from 'hono/dev';
import { sql } from 'kysely';
import { newEvent } from '../../server/log/new-event.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { type Answer, assertProblem, assertRefusedWithoutAppend, send } from '../helpers/problem.ts';
import { openSse } from '../helpers/sse.ts';
import { until } from '../helpers/until.ts';
import { bearer } from '../helpers/hub.ts';

// A template that exits at once, for the /spawn cells, and one that fails, for the healer's respawns.
const suite = hubSuite({
  templates: {
    walk: { command: process.execPath, args: ['-e', ''] },
    crash: { command: process.execPath, args: ['-e', 'process.exit(3)'] },
    linger: { command: process.execPath, args: ['-e', 'setTimeout(() => {}, 60000)'] },
    // No runner has this label: its agents wait, for the walk to place them on a runner of its own.
    nowhere: { command: process.execPath, args: ['-e', ''], runsOn: { walk: 'nowhere' }, workspace: { repo: '/nowhere' } },
  },
});

const fixture = (type: string) => JSON.parse(readFileSync(new URL(`../fixtures/events/${type}.json`, import.meta.url), 'utf8')) as object;

/** The README's columns. */
const roles = ['admin', 'operator', 'agent', 'healer', 'viewer', 'runner', 'coder'] as const;
type Role = (typeof roles)[number];

/** A whole right (`true`), none (`false`), or a right narrowed to what `only` says. */
type Right = boolean | { only: string };
const only = (what: string): Right => ({ only: what });

/**
 * The permission table of the README ("Tokens and roles"), row by row, with its columns in the
 * order of `roles`. Written here, not read from server/auth/roles.ts, so that a wrong cell in the
 * code fails the walk instead of being what the walk expects.
 */
const readmeTable: Array<[endpoints: string[], rights: [Right, Right, Right, Right, Right, Right, Right]]> = [
  [['POST /events'], [only('x.*'), only('x.*'), only('its own reports'), only('x.*'), false, only("its runner's agents' reports"), false]],
  [
    ['GET /events', 'GET /events/:id', 'GET /agents', 'GET /agents/:id', 'GET /tasks', 'GET /tasks/:id', 'GET /decisions', 'GET /decisions/:id', 'GET /budgets', 'GET /actors', 'GET /projects'],
    [true, true, true, true, true, false, false],
  ],
  [['GET /whoami'], [true, true, true, true, true, true, true]],
  [['POST /tokens', 'GET /tokens', 'DELETE /tokens/:id'], [true, false, false, false, false, false, false]],
  [['GET /metrics', 'GET /runners'], [true, true, false, false, true, false, false]],
  [['GET /brief'], [true, true, false, false, true, false, false]],
  [['GET /overview'], [true, true, false, false, true, false, false]],
  [['GET /templates'], [true, true, false, false, false, false, false]],
  [['POST /agents/:id/heartbeat'], [false, false, only('itself only'), false, false, false, false]],
  [
    ['POST /agents/:id/pause', 'POST /agents/:id/stop', 'POST /agents/:id/merge', 'POST /pause-all', 'POST /resume-all', 'POST /budgets', 'POST /budgets/correct', 'POST /inject', 'POST /decisions/:id/resolve'],
    [true, true, false, false, false, false, false],
  ],
  [['POST /agents/:id/resume'], [true, true, false, only('an agent paused by a decision or the healer'), false, false, false]],
  [['POST /spawn'], [true, true, false, only('{respawnOf} of a failed agent only'), false, false, false]],
  [['POST /tasks'], [true, true, only('its own tasks'), false, false, false, false]],
  [['POST /tasks/:id/transition'], [true, true, only('its own tasks'), only("a failed agent's task, toward todo"), false, false, false]],
  [['POST /decisions', 'GET /decisions/:id/wait'], [true, true, only('its own'), true, false, false, false]],
  [['POST /decisions/:id/cancel'], [true, true, only('the ones it asked'), only('the ones it asked'), false, false, false]],
  [['POST /runners'], [false, false, false, false, false, true, false]],
  [['GET /runners/:id/work'], [false, false, false, false, false, only('its own'), false]],
  [['POST /runners/:id/agents/:agentId/start'], [false, false, false, false, false, only('the agents assigned to it'), false]],
  [['POST /mcp'], [false, false, true, false, false, false, false]],
  [['POST /integrations/:vendor/hooks'], [false, false, false, false, false, false, only('the sessions it registered')]],
  [['POST /policies/check'], [true, true, true, true, true, false, true]],
  [
    ['POST /webhooks', 'GET /webhooks', 'DELETE /webhooks/:id', 'GET /webhooks/:id/deliveries', 'POST /webhooks/:id/deliveries/:deliveryId/retry', 'POST /webhooks/:id/resume', 'GET /people', 'GET /policies'],
    [true, false, false, false, false, false, false],
  ],
];

/** The right each role has on each endpoint, by the README. */
const expected: Record<string, Record<Role, Right>> = Object.fromEntries(
  readmeTable.flatMap(([endpoints, rights]) => endpoints.map((endpoint) => [endpoint, Object.fromEntries(roles.map((role, i) => [role, rights[i]])) as Record<Role, Right>])),
);

/** Every cell of the table, endpoint by role. */
const cells = Object.entries(expected).flatMap(([endpoint, rights]) => roles.map((role) => ({ endpoint, role, right: rights[role] })));

/** Mints a token as the admin and returns the whole 201 answer. */
async function mint(role: string, agentId?: string): Promise<{ id: string; token: string }> {
  const res = await suite.hub.post('/tokens', { role, ...(agentId ? { agentId } : {}) }, bearer(suite.hub.adminToken));
  assert.equal(res.status, 201, `minting a ${role} token: ${JSON.stringify(res.body)}`);
  return res.body;
}

function request(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  const json: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  return send(`${suite.hub.url}${path}`, { method, headers: { ...json, ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

/** The caller of one cell of the walk: its token, and its agent id when it is an agent. */
interface Caller {
  token: string;
  tokenId?: string;
  role?: Role;
  agentId?: string;
}

type ValidRequest = { path?: string; query?: string; headers?: Record<string, string>; body?: unknown };

let fresh = 0;
const admin = () => bearer(suite.hub.adminToken);

/** A running agent of its own (registered by its first heartbeat), for the cells that act on one. */
async function runningAgent(): Promise<string> {
  const id = `agt_target_${++fresh}`;
  const token = await suite.hub.mint('agent', id);
  assert.equal((await suite.hub.post(`/agents/${id}/heartbeat`, {}, bearer(token))).status, 200);
  return id;
}

/** An agent that reported its own failure, and a task of its, in `status`. */
async function failedAgentTask(status: 'in_progress' | 'blocked'): Promise<{ agentId: string; taskId: string }> {
  const agentId = `agt_failed_${++fresh}`;
  const agent = bearer(await suite.hub.mint('agent', agentId));
  const task = await suite.hub.post('/tasks', { title: `walk ${fresh}`, agentId }, admin());
  assert.equal(task.status, 201, JSON.stringify(task.body));
  assert.equal((await suite.hub.post(`/tasks/${task.body.id}/transition`, { to: status }, admin())).status, 200);
  assert.equal((await suite.hub.post('/events', { type: 'agent.failed', data: { code: 1, error: 'walk' } }, agent)).status, 201);
  return { agentId, taskId: task.body.id as string };
}

/** An agent paused by `reason` (a decision's or the healer's pause is the hub's own doing, so it is appended as the hub). */
async function pausedAgent(reason: 'operator' | 'budget' | 'decision' | 'healer'): Promise<string> {
  const id = await runningAgent();
  if (reason === 'operator') assert.equal((await suite.hub.post(`/agents/${id}/pause`, {}, admin())).status, 200);
  else await suite.hub.appender.append([newEvent({ type: 'agent.paused', data: { reason, by: 'hub' }, actor: 'hub', agentId: id })]);
  return id;
}

/** An agent the hub started from a template that runs until it is stopped. */
async function lingeringAgent(): Promise<string> {
  assert.equal((await suite.hub.post('/resume-all', {}, admin())).status, 200);
  const spawned = await suite.hub.post('/spawn', { template: 'linger' }, admin());
  assert.equal(spawned.status, 202, JSON.stringify(spawned.body));
  return spawned.body.agentId as string;
}

/** An agent that ended with a commit in its workspace (its runner's reports appended as the hub would take them). */
async function finishedWorkspaceAgent(): Promise<string> {
  const spawned = await suite.hub.post('/spawn', { template: 'nowhere' }, admin());
  assert.equal(spawned.status, 202, JSON.stringify(spawned.body));
  const agentId = spawned.body.agentId as string;
  await suite.hub.appender.append([
    newEvent({ type: 'workspace.finished', data: fixture('workspace.finished') as Record<string, unknown>, actor: 'hub', agentId }),
    newEvent({ type: 'agent.exited', data: { code: 0 }, actor: 'hub', agentId }),
  ]);
  return agentId;
}

/** An agent the hub started from the crashing template, once it has failed. */
async function crashedAgent(): Promise<string> {
  assert.equal((await suite.hub.post('/resume-all', {}, admin())).status, 200);
  const spawned = await suite.hub.post('/spawn', { template: 'crash' }, admin());
  assert.equal(spawned.status, 202, JSON.stringify(spawned.body));
  const id = spawned.body.agentId as string;
  await until(`agent ${id} failed`, async () => ((await suite.hub.get(`/agents/${id}`)).body.status === 'failed' ? true : undefined));
  return id;
}

/** The caller's runner, registered; for a caller of another role, a runner of the walk's own. */
async function registeredRunner(caller: Caller): Promise<string> {
  const runner = caller.role === 'runner' ? caller : { ...(await mint('runner')), role: 'runner' as const };
  const res = await suite.hub.post('/runners', { name: 'walker', labels: {}, capacity: 1, templates: [], agents: [] }, bearer(runner.token));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.runnerId as string;
}

/** An agent waiting to start, placed on `runnerId` (as the hub places one). */
async function agentAssignedTo(runnerId: string): Promise<string> {
  const spawned = await suite.hub.post('/spawn', { template: 'nowhere' }, admin());
  assert.equal(spawned.status, 202, JSON.stringify(spawned.body));
  const agentId = spawned.body.agentId as string;
  await suite.hub.appender.append([newEvent({ type: 'agent.assigned', data: { runnerId }, actor: 'hub', agentId })]);
  return agentId;
}

/** A webhook to a closed port (its deliveries fail, harmlessly), subscribed to `types`. */
async function webhook(types = ['x.permission_walk']): Promise<string> {
  const res = await suite.hub.post('/webhooks', { url: 'http://127.0.0.1:9/walk', types }, admin());
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

/** A webhook with one delivery enqueued, and that delivery's id. */
async function webhookDelivery(): Promise<{ webhookId: string; deliveryId: string }> {
  const webhookId = await webhook(['x.walk_delivery']);
  assert.equal((await suite.hub.post('/events', { type: 'x.walk_delivery', data: {} }, admin())).status, 201);
  const deliveryId = await until('a delivery enqueued', async () => (await suite.hub.get(`/webhooks/${webhookId}/deliveries`, admin())).body.deliveries[0]?.id as string | undefined);
  return { webhookId, deliveryId };
}

/** A decision asked by `asker`: a low one is settled at once, a medium one stays pending. */
async function decision(asker: Record<string, string>, risk: 'low' | 'medium' = 'low'): Promise<string> {
  const res = await suite.hub.post('/decisions', { title: 'walk', risk }, asker);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

async function todoTask(): Promise<string> {
  const res = await suite.hub.post('/tasks', { title: `walk ${++fresh}` }, admin());
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

/** A task an operator blocked, with no agent that has failed. */
async function blockedTask(): Promise<string> {
  const id = await todoTask();
  assert.equal((await suite.hub.post(`/tasks/${id}/transition`, { to: 'blocked', reason: 'walk' }, admin())).status, 200);
  return id;
}

/**
 * What makes each endpoint's request otherwise valid (creating what its path names first): the
 * method and path come from the key, so a new row in the permission table needs a new entry here,
 * and the walk fails until it has one.
 */
const validRequest: Record<string, (caller: Caller) => Promise<ValidRequest>> = {
  'POST /events': async (caller) =>
    caller.role === 'runner'
      ? { body: { type: 'agent.output', agentId: await agentAssignedTo(await registeredRunner(caller)), data: { stream: 'stdout', line: 'walk' } } }
      : { body: { type: 'x.permission_walk', data: {} } },
  'GET /events': async () => ({ query: '?limit=1', headers: { accept: 'application/json' } }),
  'GET /events/:id': async () => ({ path: `/events/${(await suite.hub.post('/events', { type: 'x.permission_walk', data: {} }, admin())).body.id}` }),
  'POST /tokens': async () => ({ body: { role: 'viewer' } }),
  'GET /tokens': async () => ({}),
  'DELETE /tokens/:id': async () => ({ path: `/tokens/${(await mint('viewer')).id}` }),
  'GET /metrics': async () => ({}),
  'GET /agents': async () => ({}),
  'GET /agents/:id': async () => ({ path: `/agents/${await runningAgent()}` }),
  'POST /agents/:id/heartbeat': async (caller) => ({ path: `/agents/${caller.agentId ?? 'agt_nobody'}/heartbeat`, body: {} }),
  'POST /agents/:id/pause': async () => ({ path: `/agents/${await runningAgent()}/pause`, body: {} }),
  // The healer lifts only a pause of the hub's machinery, never a person's.
  'POST /agents/:id/resume': async (caller) => ({ path: `/agents/${await pausedAgent(caller.role === 'healer' ? 'decision' : 'operator')}/resume`, body: {} }),
  'POST /agents/:id/stop': async () => ({ path: `/agents/${await lingeringAgent()}/stop`, body: {} }),
  'POST /agents/:id/merge': async () => ({ path: `/agents/${await finishedWorkspaceAgent()}/merge`, body: {} }),
  'POST /pause-all': async () => ({ body: {} }),
  'POST /resume-all': async () => ({ body: {} }),
  'POST /tasks': async () => ({ body: { title: 'permission walk' } }),
  'GET /tasks': async () => ({}),
  'GET /tasks/:id': async () => ({ path: `/tasks/${await todoTask()}` }),
  'POST /tasks/:id/transition': async (caller) => {
    const id = await todoTask();
    if (caller.role !== 'healer') return { path: `/tasks/${id}/transition`, body: { to: 'in_progress' } };
    // The healer only sends a failed agent's task back to the queue.
    const { taskId } = await failedAgentTask('blocked');
    return { path: `/tasks/${taskId}/transition`, body: { to: 'todo' } };
  },
  'POST /decisions': async () => ({ body: { title: 'walk', risk: 'low' } }),
  'GET /decisions': async () => ({}),
  'GET /decisions/:id': async () => ({ path: `/decisions/${await decision(admin())}` }),
  'GET /decisions/:id/wait': async (caller) => ({ path: `/decisions/${await decision(caller.agentId ? bearer(caller.token) : admin())}/wait`, query: '?timeout=1' }),
  'POST /decisions/:id/resolve': async () => ({ path: `/decisions/${await decision(admin())}/resolve`, body: { outcome: 'approve' } }),
  // Agents and the healer cancel only what they asked.
  'POST /decisions/:id/cancel': async (caller) => ({
    path: `/decisions/${await decision(caller.role === 'agent' || caller.role === 'healer' ? bearer(caller.token) : admin(), 'medium')}/cancel`,
    body: {},
  }),
  'POST /budgets': async () => ({ body: { scope: 'global', limitUsd: 1000 } }),
  'POST /budgets/correct': async () => ({ body: { scope: 'global', spentUsd: 0, reason: 'a permission check' } }),
  'GET /budgets': async () => ({}),
  'POST /spawn': async (caller) => {
    // The healer only respawns a failed agent.
    if (caller.role === 'healer') return { body: { respawnOf: await crashedAgent() } };
    assert.equal((await suite.hub.post('/resume-all', {}, admin())).status, 200);
    return { body: { template: 'walk' } };
  },
  'POST /inject': async () => ({ body: { agentId: await runningAgent(), message: 'hello' } }),
  'GET /templates': async () => ({}),
  'GET /whoami': async () => ({}),
  'GET /actors': async () => ({}),
  'GET /runners': async () => ({}),
  'GET /brief': async () => ({}),
  'GET /overview': async () => ({}),
  'GET /projects': async () => ({}),
  'POST /runners': async () => ({ body: { name: 'walker', labels: { os: 'linux' }, capacity: 2, templates: ['walk'], agents: [] } }),
  'GET /runners/:id/work': async (caller) => ({ path: `/runners/${await registeredRunner(caller)}/work`, query: '?wait=0' }),
  'POST /runners/:id/agents/:agentId/start': async (caller) => {
    const runnerId = await registeredRunner(caller);
    return { path: `/runners/${runnerId}/agents/${await agentAssignedTo(runnerId)}/start` };
  },
  'POST /integrations/:vendor/hooks': async () => ({ path: '/integrations/claude-code/hooks', body: { hook_event_name: 'Stop', session_id: `walk-${++fresh}`, cwd: '/tmp/walk' } }),
  'POST /policies/check': async () => ({ body: { tool: 'Bash', command: 'git status' } }),
  'POST /webhooks': async () => ({ body: { url: 'http://127.0.0.1:9/walk', types: ['x.permission_walk'] } }),
  'GET /webhooks': async () => ({}),
  'GET /people': async () => ({}),
  'GET /policies': async () => ({}),
  'DELETE /webhooks/:id': async () => ({ path: `/webhooks/${await webhook()}` }),
  'GET /webhooks/:id/deliveries': async () => ({ path: `/webhooks/${await webhook()}/deliveries`, query: '?limit=5' }),
  'POST /webhooks/:id/deliveries/:deliveryId/retry': async () => {
    const { webhookId, deliveryId } = await webhookDelivery();
    return { path: `/webhooks/${webhookId}/deliveries/${deliveryId}/retry` };
  },
  'POST /webhooks/:id/resume': async () => ({ path: `/webhooks/${await webhook()}/resume` }),
  // An MCP client's first message; each tool it then calls is judged as the token's own request to the endpoint behind it.
  'POST /mcp': async () => ({
    headers: { accept: 'application/json, text/event-stream' },
    body: { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'walk', version: '1' } } },
  }),
};

/** An event of a type only the hub writes: past every `x.*` right. */
const catalogEvent = async (): Promise<ValidRequest> => ({ body: { type: 'task.created', data: fixture('task.created') } });

/**
 * For each narrowed cell (`role endpoint`), a request just past what the README allows it, which
 * the hub must refuse: a narrowing the code forgot fails here, and a new narrowed cell fails the
 * walk until it has an entry.
 */
const beyondRight: Record<string, (caller: Caller) => Promise<ValidRequest>> = {
  'admin POST /events': catalogEvent,
  'operator POST /events': catalogEvent,
  'healer POST /events': catalogEvent,
  'agent POST /events': async () => ({ body: { type: 'x.progress', data: {}, agentId: 'agt_someone_else' } }),
  'agent POST /agents/:id/heartbeat': async () => ({ path: `/agents/${await runningAgent()}/heartbeat`, body: {} }),
  'healer POST /agents/:id/resume': async () => ({ path: `/agents/${await pausedAgent('operator')}/resume`, body: {} }),
  'healer POST /spawn': async () => ({ body: { template: 'walk' } }),
  'agent POST /tasks': async () => ({ body: { title: 'permission walk', agentId: 'agt_someone_else' } }),
  'agent POST /tasks/:id/transition': async () => {
    const res = await suite.hub.post('/tasks', { title: `walk ${++fresh}`, agentId: await runningAgent() }, admin());
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { path: `/tasks/${res.body.id}/transition`, body: { to: 'in_progress' } };
  },
  'healer POST /tasks/:id/transition': async () => ({ path: `/tasks/${await blockedTask()}/transition`, body: { to: 'todo' } }),
  'agent POST /decisions': async () => ({ body: { title: 'walk', risk: 'low', agentId: 'agt_someone_else' } }),
  'agent GET /decisions/:id/wait': async () => ({ path: `/decisions/${await decision(admin())}/wait`, query: '?timeout=1' }),
  'agent POST /decisions/:id/cancel': async () => ({ path: `/decisions/${await decision(admin(), 'medium')}/cancel`, body: {} }),
  'healer POST /decisions/:id/cancel': async () => ({ path: `/decisions/${await decision(admin(), 'medium')}/cancel`, body: {} }),
  'runner POST /events': async () => ({ body: { type: 'agent.output', agentId: await agentAssignedTo(await registeredRunner({ token: '' })), data: { stream: 'stdout', line: 'not its agent' } } }),
  'coder POST /integrations/:vendor/hooks': async () => {
    const session = `walk-${++fresh}`;
    const body = { hook_event_name: 'Stop', session_id: session, cwd: '/tmp/walk' };
    assert.equal((await suite.hub.post('/integrations/claude-code/hooks', body, bearer((await mint('coder')).token))).status, 200);
    return { path: '/integrations/claude-code/hooks', body };
  },
  'runner GET /runners/:id/work': async () => ({ path: `/runners/${await registeredRunner({ token: '' })}/work`, query: '?wait=0' }),
  'runner POST /runners/:id/agents/:agentId/start': async (caller) => ({ path: `/runners/${await registeredRunner(caller)}/agents/${await agentAssignedTo(await registeredRunner({ token: '' }))}/start` }),
};

/** Sends `endpoint` as `prepare` makes it for `caller`, with `headers` on top. */
async function call(endpoint: string, headers: Record<string, string>, caller: Caller = { token: '' }, prepare = validRequest[endpoint]): Promise<Answer> {
  const [method, path] = endpoint.split(' ') as [string, string];
  assert.ok(prepare, `the README's table has "${endpoint}" but the test has no request for it: add one`);
  const extra = await prepare(caller);
  return request(method, `${extra.path ?? path}${extra.query ?? ''}`, { ...extra.headers, ...headers }, extra.body);
}

let agents = 0;
/** A fresh token of `role` (an agent's bound to a fresh agent id), as the caller of one cell. */
async function callerAs(role: Role): Promise<Caller> {
  const agentId = role === 'agent' ? `agt_walk_${++agents}` : undefined;
  const { token, id } = await mint(role, agentId);
  return { token, tokenId: id, role, ...(agentId ? { agentId } : {}) };
}

describe("the README's permission table, cell by cell against a running hub", () => {
  test('a role with a right, whole or narrowed, gets through with a valid request; a role without one gets 403 forbidden', async () => {
    for (const { endpoint, role, right } of cells) {
      const caller = await callerAs(role);
      const answer = await call(endpoint, bearer(caller.token), caller);
      if (right === false) {
        assert.equal(answer.status, 403, `${role} has no right to ${endpoint} by the README, yet got through: ${answer.status} ${answer.text.slice(0, 200)}`);
        assertProblem(answer, 403, 'forbidden', new RegExp(`${role}.*${endpoint}`));
      } else assert.ok(answer.status < 300, `${role} on ${endpoint} should succeed with a valid request: ${answer.status} ${answer.text.slice(0, 200)}`);
    }
  });

  test('a narrowed right refuses a request past it with 403 forbidden', async () => {
    for (const { endpoint, role, right } of cells) {
      if (typeof right === 'boolean') continue;
      const caller = await callerAs(role);
      const answer = await call(endpoint, bearer(caller.token), caller, beyondRight[`${role} ${endpoint}`]);
      assert.equal(answer.status, 403, `${role} on ${endpoint} (${right.only}) let a request past its right through: ${answer.status} ${answer.text.slice(0, 200)}`);
      assertProblem(answer, 403, 'forbidden', /./);
    }
  });

  test('the requests past a right name exactly the narrowed cells', () => {
    const narrowed = cells.filter(({ right }) => typeof right !== 'boolean').map(({ endpoint, role }) => `${role} ${endpoint}`);
    assert.deepEqual(Object.keys(beyondRight).sort(), narrowed.sort());
  });

  test('the request map lists no endpoint the table has dropped', () => {
    assert.deepEqual(Object.keys(validRequest).sort(), Object.keys(expected).sort());
  });

  test('every route the app registers, other than the public gauges, has a row', () => {
    const publicPaths = ['/healthz', '/readyz', '/versionz', '/contractz', '/healer/callbacks', '/answer/:link', '/', '/assets/*'];
    const registered = inspectRoutes(suite.hub.app)
      .filter((r) => !r.isMiddleware && r.method !== 'ALL' && !publicPaths.includes(r.path))
      .map((r) => `${r.method} ${r.path}`);
    assert.deepEqual([...new Set(registered)].sort(), Object.keys(expected).sort());
  });
});

describe("the healer's rights stop at what its playbooks need", () => {
  let healer: Record<string, string>;
  before(async () => {
    await suite.ready();
    healer = bearer((await mint('healer')).token);
  });

  for (const reason of ['operator', 'budget'] as const) {
    test(`it may not resume an agent paused by ${reason === 'operator' ? 'an operator' : 'the budget'}: 403, nothing stored`, async () => {
      const id = await pausedAgent(reason);
      await assertRefusedWithoutAppend(suite.hub.db, () => request('POST', `/agents/${id}/resume`, healer, {}), { status: 403, code: 'forbidden', detail: new RegExp(`paused by ${reason}`) });
    });
  }

  test('its resume is logged as the healer, with reason healer', async () => {
    const id = await pausedAgent('healer');
    assert.equal((await request('POST', `/agents/${id}/resume`, healer, {})).status, 200);
    const page = await suite.hub.get(`/events?agent=${id}&types=agent.resumed`);
    assert.deepEqual([page.body.events[0].actor, page.body.events[0].data.reason], ['healer', 'healer']);
  });

  test('it may not spawn a template of its choosing: 403, nothing stored', async () => {
    await assertRefusedWithoutAppend(suite.hub.db, () => request('POST', '/spawn', healer, { template: 'walk' }), { status: 403, code: 'forbidden', detail: /respawnOf/ });
  });

  test('it respawns a failed agent with its own template and name, recording respawnOf', async () => {
    const failed = await crashedAgent();
    const res = await request('POST', '/spawn', healer, { respawnOf: failed });
    assert.equal(res.status, 202, res.text);
    const [origin, respawn] = await Promise.all([failed, res.body.agentId].map(async (id) => (await suite.hub.get(`/events?agent=${id}&types=agent.spawn_requested`)).body.events[0]));
    assert.deepEqual(respawn.data, { ...origin.data, respawnOf: failed });
    assert.equal(respawn.actor, 'healer');
  });

  test('a failed agent is respawned once: a second respawn is a 409 naming the first', async () => {
    const failed = await crashedAgent();
    const first = await request('POST', '/spawn', healer, { respawnOf: failed });
    assert.equal(first.status, 202, first.text);
    assertProblem(await request('POST', '/spawn', healer, { respawnOf: failed }), 409, 'conflict', new RegExp(`respawned already, as "${first.body.agentId}"`));
  });

  test('it may not respawn an agent that has not failed: 409, nothing stored', async () => {
    const id = await runningAgent();
    await assertRefusedWithoutAppend(suite.hub.db, () => request('POST', '/spawn', healer, { respawnOf: id }), { status: 409, code: 'conflict', detail: /only a failed agent/ });
  });

  test('a respawn of an agent the hub does not know is a 404, of one it did not start a 409; nothing stored', async () => {
    await assertRefusedWithoutAppend(suite.hub.db, () => request('POST', '/spawn', healer, { respawnOf: 'agt_nobody' }), { status: 404, code: 'not_found', detail: /agt_nobody/ });
    const { agentId } = await failedAgentTask('in_progress');
    await assertRefusedWithoutAppend(suite.hub.db, () => request('POST', '/spawn', healer, { respawnOf: agentId }), { status: 409, code: 'conflict', detail: /was not started by the hub/ });
  });

  test('a spawn naming neither a template nor respawnOf is a 400 that says to name one; nothing stored', async () => {
    await assertRefusedWithoutAppend(suite.hub.db, () => request('POST', '/spawn', admin(), { name: 'nameless' }), { status: 400, code: 'validation_failed', detail: /name a template, or a failed agent/ });
  });

  test('a respawn takes nothing else: a template or input with respawnOf is a 400', async () => {
    const failed = await crashedAgent();
    assertProblem(await request('POST', '/spawn', healer, { respawnOf: failed, template: 'walk' }), 400, 'validation_failed', /respawnOf takes nothing else/);
    assertProblem(await request('POST', '/spawn', healer, { respawnOf: failed, input: { evil: true } }), 400, 'validation_failed', /respawnOf takes nothing else/);
  });

  test("it may not move a task whose agent has not failed, even a blocked one back to todo: 403", async () => {
    const id = await blockedTask();
    await assertRefusedWithoutAppend(suite.hub.db, () => request('POST', `/tasks/${id}/transition`, healer, { to: 'todo' }), { status: 403, code: 'forbidden', detail: /only when its agent has failed/ });
  });

  test("it sends a failed agent's task in progress back to todo, by way of blocked", async () => {
    const { taskId } = await failedAgentTask('in_progress');
    assert.equal((await request('POST', `/tasks/${taskId}/transition`, healer, { to: 'blocked', reason: 'retry' })).status, 200);
    assert.equal((await request('POST', `/tasks/${taskId}/transition`, healer, { to: 'todo', reason: 'retry' })).status, 200);
  });
});

describe('authentication', () => {
  test('without a token every endpoint in the table is a 401 unauthorized', async () => {
    for (const endpoint of Object.keys(expected)) assertProblem(await call(endpoint, {}), 401, 'unauthorized', /token/);
  });

  test('an unknown bearer token is a 401 unauthorized', async () => {
    assertProblem(await call('GET /events', bearer('mc_not_a_token_anyone_minted')), 401, 'unauthorized', /unknown/);
  });

  for (const header of ['Basic xyz', 'Bearer', 'Bearer ']) {
    test(`a malformed Authorization header (${JSON.stringify(header)}) is a 401 unauthorized`, async () => {
      assertProblem(await call('GET /events', { authorization: header }), 401, 'unauthorized', /Bearer/);
    });
  }

  test('GET /events as SSE accepts ?access_token= and streams', async () => {
    const { token } = await mint('viewer');
    const sse = await openSse(`${suite.hub.url}/events?types=x.streamed&access_token=${encodeURIComponent(token)}`);
    try {
      assert.equal(sse.status, 200);
      assert.match(String(sse.headers['content-type']), /^text\/event-stream/);
      const appended = await suite.hub.post('/events', { type: 'x.streamed', data: { live: true } });
      await sse.until((events) => events.some((e) => e.id === appended.body.id));
      assert.deepEqual(sse.events.map((e) => [e.seq, e.type, e.data]), [[appended.body.seq, 'x.streamed', { live: true }]]);
    } finally {
      sse.close();
    }
  });

  test('GET /events with a wrong ?access_token= is a 401 unauthorized', async () => {
    const answer = await request('GET', '/events?access_token=mc_wrong', { accept: 'text/event-stream' });
    assertProblem(answer, 401, 'unauthorized', /unknown/);
  });

  test('POST /events does not accept ?access_token=: 401 unauthorized', async () => {
    const { token } = await mint('operator');
    const answer = await request('POST', `/events?access_token=${encodeURIComponent(token)}`, {}, { type: 'x.query_token', data: {} });
    assertProblem(answer, 401, 'unauthorized', /token/);
  });
});

describe('POST /tokens', () => {
  for (const role of roles) {
    test(`the admin mints a token with role ${role}, and it works at once`, async () => {
      const agentId = role === 'agent' ? 'agt_minted' : undefined;
      const res = await suite.hub.post('/tokens', { role, name: `a ${role}`, ...(agentId ? { agentId } : {}) }, bearer(suite.hub.adminToken));
      assert.equal(res.status, 201);
      assert.deepEqual(Object.keys(res.body).sort(), ['agentId', 'expiresAt', 'id', 'name', 'person', 'role', 'token']);
      assert.deepEqual({ role: res.body.role, agentId: res.body.agentId, name: res.body.name }, { role, agentId: agentId ?? null, name: `a ${role}` });
      assert.equal((await call('GET /whoami', bearer(res.body.token))).status, 200);
    });
  }

  test('the stored row holds a hash, never the secret', async () => {
    const { id, token } = await mint('operator');
    const { rows } = await sql<Record<string, unknown>>`select * from tokens where id = ${id}`.execute(suite.hub.db);
    assert.equal(rows.length, 1);
    for (const [column, value] of Object.entries(rows[0]!)) assert.notEqual(String(value), token, `column ${column} holds the secret`);
    assert.equal(typeof rows[0]!.token_hash, 'string');
    assert.notEqual(rows[0]!.token_hash, token);
  });

  const invalid: Array<[string, unknown]> = [
    ['an agent token without agentId', { role: 'agent' }],
    ['an agentId on a non-agent token', { role: 'operator', agentId: 'agt_x' }],
    ['an unknown role', { role: 'root' }],
    ['an extra property', { role: 'viewer', scope: 'all' }],
  ];
  for (const [what, body] of invalid) {
    test(`${what} is a 400 validation_failed`, async () => {
      assertProblem(await request('POST', '/tokens', bearer(suite.hub.adminToken), body), 400, 'validation_failed', /./);
    });
  }

  test('an operator may not mint tokens: 403 forbidden', async () => {
    assertProblem(await request('POST', '/tokens', suite.hub.auth, { role: 'admin' }), 403, 'forbidden', /operator/);
  });
});

describe('who may append what', () => {
  let agentA: Record<string, string>;
  before(async () => {
    agentA = bearer((await mint('agent', 'agt_a')).token);
  });

  async function readBack(seq: number): Promise<any> {
    const page = await request('GET', `/events?after=${seq - 1}&limit=1`, { ...suite.hub.auth, accept: 'application/json' });
    return page.body.events[0];
  }

  test('an agent event without agentId is stored about that agent, by that agent', async () => {
    const res = await request('POST', '/events', agentA, { type: 'x.progress', data: { step: 1 } });
    assert.equal(res.status, 201);
    const event = await readBack(res.body.seq);
    assert.equal(event.agentId, 'agt_a');
    assert.equal(event.actor, 'agent:agt_a');
  });

  test('an agent may not write about another agent: 403, nothing stored', async () => {
    const send = () => request('POST', '/events', agentA, { type: 'x.progress', data: {}, agentId: 'agt_b' });
    await assertRefusedWithoutAppend(suite.hub.db, send, { status: 403, code: 'forbidden', detail: /agt_a/ });
  });

  for (const type of ['x.agent_note', 'agent.output', 'run.completed']) {
    test(`an agent may append ${type}`, async () => {
      const data = type.startsWith('x.') ? fixture('x') : fixture(type);
      assert.equal((await request('POST', '/events', agentA, { type, data })).status, 201);
    });
  }

  for (const type of ['decision.resolved', 'task.created']) {
    test(`an agent may not append ${type}: 403, nothing stored`, async () => {
      const send = () => request('POST', '/events', agentA, { type, data: fixture(type) });
      await assertRefusedWithoutAppend(suite.hub.db, send, { status: 403, code: 'forbidden', detail: new RegExp(type.replace('.', '\\.')) });
    });
  }

  test('a viewer may not append (403, nothing stored) but may read GET /events', async () => {
    const viewer = bearer((await mint('viewer')).token);
    const send = () => request('POST', '/events', viewer, { type: 'x.look', data: {} });
    await assertRefusedWithoutAppend(suite.hub.db, send, { status: 403, code: 'forbidden', detail: /viewer/ });
    assert.equal((await request('GET', '/events?limit=1', { ...viewer, accept: 'application/json' })).status, 200);
  });

  test("an operator's event records actor operator:<token id>", async () => {
    const { id, token } = await mint('operator');
    const res = await request('POST', '/events', bearer(token), { type: 'x.by_operator', data: {} });
    assert.equal(res.status, 201);
    assert.equal((await readBack(res.body.seq)).actor, `operator:${id}`);
  });

  test('a client cannot set actor: unknown property, 400', async () => {
    const send = () => request('POST', '/events', suite.hub.auth, { type: 'x.spoof', data: {}, actor: 'operator:someone_else' });
    await assertRefusedWithoutAppend(suite.hub.db, send, { status: 400, code: 'validation_failed', detail: /./ });
  });
});

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { rebuildViews } from '../../server/log/rebuild.ts';
import { tasksProjection } from '../../server/tasks/projection.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { type Answer, assertProblem, assertRefusedWithoutAppend, send } from '../helpers/problem.ts';
import { bearer } from '../helpers/hub.ts';

const suite = hubSuite();

let agents = 0;
/** A fresh agent id and its token's headers. */
async function newAgent(): Promise<{ id: string; auth: Record<string, string> }> {
  const id = `agt_tasks_${++agents}`;
  return { id, auth: bearer(await suite.hub.mint('agent', id)) };
}

function post(path: string, body: unknown, headers: Record<string, string> = suite.hub.auth): Promise<Answer> {
  return send(`${suite.hub.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}
function get(path: string, headers: Record<string, string> = suite.hub.auth): Promise<Answer> {
  return send(`${suite.hub.url}${path}`, { headers: { accept: 'application/json', ...headers } });
}
async function create(body: Record<string, unknown> = {}, headers: Record<string, string> = suite.hub.auth): Promise<any> {
  const res = await post('/tasks', { title: 'Fix the build', ...body }, headers);
  assert.equal(res.status, 201, res.text);
  return res.body;
}
async function move(id: string, to: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = suite.hub.auth): Promise<any> {
  const res = await post(`/tasks/${id}/transition`, { to, ...extra }, headers);
  assert.equal(res.status, 200, res.text);
  return res.body;
}
/** The events the log holds about a task, oldest first. */
async function eventsOf(taskId: string): Promise<any[]> {
  return (await get(`/events?after=0&limit=1000&task=${taskId}`)).body.events;
}

describe('POST /tasks', () => {
  test('creates a todo task with the defaults and answers 201 with its view', async () => {
    const view = await create();
    assert.match(view.id, /^tsk_[A-Za-z0-9]+$/);
    assert.deepEqual(Object.keys(view).sort(), ['agentId', 'blockedReason', 'createdAt', 'description', 'id', 'labels', 'priority', 'projectId', 'status', 'title', 'updatedAt']);
    const { id: _id, createdAt, updatedAt, ...rest } = view;
    assert.deepEqual(rest, { title: 'Fix the build', description: null, priority: 'normal', labels: [], status: 'todo', agentId: null, blockedReason: null, projectId: 'default' });
    assert.equal(new Date(createdAt).toISOString(), createdAt);
    assert.equal(updatedAt, createdAt);
    const events = await eventsOf(view.id);
    assert.deepEqual(events.map((e) => [e.type, e.data]), [['task.created', { title: 'Fix the build', priority: 'normal', labels: [] }]]);
    assert.equal(events[0].recordedAt, view.createdAt);
  });

  test('with agentId, appends task.assigned after task.created', async () => {
    const view = await create({ priority: 'urgent', labels: ['ci', 'infra'], description: 'Red since Monday.', agentId: 'agt_someone' });
    assert.deepEqual([view.priority, view.labels, view.description, view.agentId], ['urgent', ['ci', 'infra'], 'Red since Monday.', 'agt_someone']);
    assert.deepEqual((await eventsOf(view.id)).map((e) => [e.type, e.agentId]), [['task.created', 'agt_someone'], ['task.assigned', 'agt_someone']]);
  });

  test('an agent creates a task unassigned, or assigned to itself', async () => {
    const agent = await newAgent();
    assert.equal((await create({}, agent.auth)).agentId, null);
    assert.equal((await create({ agentId: agent.id }, agent.auth)).agentId, agent.id);
  });

  test('an agent may not assign a new task to another agent: 403, nothing appended', async () => {
    const agent = await newAgent();
    await assertRefusedWithoutAppend(suite.hub.db, () => post('/tasks', { title: 'Yours', agentId: 'agt_other' }, agent.auth), { status: 403, code: 'forbidden', detail: /only to itself/ });
  });

  test('a viewer may not create tasks: 403', async () => {
    assertProblem(await post('/tasks', { title: 'Nope' }, bearer(await suite.hub.mint('viewer'))), 403, 'forbidden', /viewer.*POST \/tasks/);
  });

  test('a retry with the same Idempotency-Key answers 200 with the same task, and appends nothing', async () => {
    const headers = { ...suite.hub.auth, 'idempotency-key': 'create-once-1' };
    const first = await post('/tasks', { title: 'Once', agentId: 'agt_x' }, headers);
    assert.equal(first.status, 201);
    const retry = await post('/tasks', { title: 'Once', agentId: 'agt_x' }, headers);
    assert.equal(retry.status, 200);
    assert.deepEqual(retry.body, first.body);
    assert.equal((await eventsOf(first.body.id)).length, 2);
  });

  test('concurrent retries with one Idempotency-Key make one task', async () => {
    const headers = { ...suite.hub.auth, 'idempotency-key': 'create-concurrently' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => post('/tasks', { title: 'Just one' }, headers)));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 201]);
    assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
    assert.equal((await eventsOf(answers[0]!.body.id)).length, 1);
  });

  test('the same Idempotency-Key with another body is a 409 idempotency_conflict', async () => {
    const headers = { ...suite.hub.auth, 'idempotency-key': 'create-once-2' };
    assert.equal((await post('/tasks', { title: 'First' }, headers)).status, 201);
    await assertRefusedWithoutAppend(suite.hub.db, () => post('/tasks', { title: 'Second' }, headers), { status: 409, code: 'idempotency_conflict', detail: /"create-once-2".*new key/ });
  });

  test('an Idempotency-Key with spaces is a 400', async () => {
    assertProblem(await post('/tasks', { title: 'x' }, { ...suite.hub.auth, 'idempotency-key': 'has space' }), 400, 'validation_failed', /Idempotency-Key header/);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['no title', { priority: 'low' }, /must have required property 'title'/],
    ['an empty title', { title: '' }, /\/title/],
    ['an unknown priority', { title: 't', priority: 'asap' }, /\/priority must be one of: low, normal, high, urgent/],
    ['labels that repeat', { title: 't', labels: ['a', 'a'] }, /\/labels/],
    ['an unknown property', { title: 't', owner: 'me' }, /unknown property "owner"/],
    ['a bad agent id', { title: 't', agentId: ' spaced ' }, /\/agentId/],
  ];
  for (const [what, body, detail] of invalid) {
    test(`a body with ${what} is a 400 validation_failed that says what to fix`, async () => {
      await assertRefusedWithoutAppend(suite.hub.db, () => post('/tasks', body), { status: 400, code: 'validation_failed', detail });
    });
  }

  test('a body that is not JSON is a 400 invalid_json', async () => {
    assertProblem(await post('/tasks', '{"title": '), 400, 'invalid_json', /not valid JSON/);
  });
});

describe('GET /tasks and GET /tasks/:id', () => {
  let ids: Record<string, string>;
  before(async () => {
    const label = (l: string) => [`q-${l}`];
    ids = {
      a: (await create({ title: 'A', labels: [...label('x'), 'q-shared'], agentId: 'agt_q1' })).id,
      b: (await create({ title: 'B', labels: label('y'), agentId: 'agt_q2' })).id,
      c: (await create({ title: 'C', labels: [...label('x')], agentId: 'agt_q1' })).id,
    };
    await move(ids.c!, 'in_progress');
  });

  const titles = async (query: string) => (await get(`/tasks${query}`)).body.tasks.map((t: any) => t.title);

  test('lists every task newest first', async () => {
    const res = await get('/tasks');
    assert.equal(res.status, 200);
    const listed = res.body.tasks.map((t: any) => t.id);
    assert.deepEqual(listed.filter((id: string) => Object.values(ids).includes(id)), [ids.c, ids.b, ids.a]);
  });

  test('filters by status, agent and label, and the filters combine', async () => {
    assert.deepEqual(await titles('?agent=agt_q1'), ['C', 'A']);
    assert.deepEqual(await titles('?agent=agt_q1&status=todo'), ['A']);
    assert.deepEqual(await titles('?label=q-x'), ['C', 'A']);
    assert.deepEqual(await titles('?label=q-x&label=q-shared'), ['A']);
    assert.deepEqual(await titles('?label=q-y&status=in_progress'), []);
    assert.deepEqual(await titles('?agent=agt_q1&status=todo,in_progress'), ['C', 'A']);
  });

  test('an unknown status is a 400 that lists the statuses', async () => {
    assertProblem(await get('/tasks?status=doing'), 400, 'validation_failed', /"doing" is not a task status; use one of: todo, in_progress, review, done, blocked, cancelled/);
  });

  test('any role may read the board, a viewer too', async () => {
    assert.equal((await get('/tasks', bearer(await suite.hub.mint('viewer')))).status, 200);
  });

  test('GET /tasks/:id answers the view', async () => {
    const res = await get(`/tasks/${ids.c}`);
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.id, res.body.title, res.body.status, res.body.agentId], [ids.c, 'C', 'in_progress', 'agt_q1']);
  });

  test('GET /tasks/:id of an unknown task is a 404', async () => {
    assertProblem(await get('/tasks/tsk_missing'), 404, 'not_found', /no task "tsk_missing"/);
  });
});

describe('POST /tasks/:id/transition', () => {
  test('an operator walks a task through review and back to done', async () => {
    const { id, createdAt } = await create();
    await move(id, 'in_progress');
    await move(id, 'review');
    await move(id, 'in_progress', { reason: 'changes requested' });
    await move(id, 'review');
    const done = await move(id, 'done');
    assert.equal(done.status, 'done');
    assert.equal(done.createdAt, createdAt);
    assert.ok(done.updatedAt > createdAt);
    const moves = (await eventsOf(id)).filter((e) => e.type === 'task.transitioned').map((e) => `${e.data.from}->${e.data.to}`);
    assert.deepEqual(moves, ['todo->in_progress', 'in_progress->review', 'review->in_progress', 'in_progress->review', 'review->done']);
  });

  test('an illegal move is a 409 conflict listing the allowed moves, and appends nothing', async () => {
    const { id } = await create();
    await assertRefusedWithoutAppend(suite.hub.db, () => post(`/tasks/${id}/transition`, { to: 'done' }), {
      status: 409,
      code: 'conflict',
      detail: new RegExp(`^cannot move task ${id} from todo to done; allowed: in_progress, blocked, cancelled$`),
    });
  });

  test('a finished task cannot move: 409 says it is final', async () => {
    const { id } = await create();
    await move(id, 'cancelled');
    assertProblem(await post(`/tasks/${id}/transition`, { to: 'todo' }), 409, 'conflict', /allowed: none \(cancelled is final\)/);
  });

  test('blocking keeps the reason; leaving blocked clears it', async () => {
    const { id } = await create();
    const blocked = await move(id, 'blocked', { reason: 'waiting for a database' });
    assert.deepEqual([blocked.status, blocked.blockedReason], ['blocked', 'waiting for a database']);
    const back = await move(id, 'todo');
    assert.deepEqual([back.status, back.blockedReason], ['todo', null]);
  });

  test('an unknown task is a 404', async () => {
    assertProblem(await post('/tasks/tsk_nope/transition', { to: 'in_progress' }), 404, 'not_found', /no task "tsk_nope"/);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['no target', {}, /must have required property 'to'/],
    ['an unknown target', { to: 'doing' }, /\/to must be one of: todo, in_progress/],
    ['an unknown property', { to: 'review', force: true }, /unknown property "force"/],
  ];
  for (const [what, body, detail] of invalid) {
    test(`a body with ${what} is a 400 validation_failed`, async () => {
      const { id } = await create();
      await assertRefusedWithoutAppend(suite.hub.db, () => post(`/tasks/${id}/transition`, body), { status: 400, code: 'validation_failed', detail });
    });
  }

  test('an agent takes an unassigned todo task by starting it: task.assigned, then the move', async () => {
    const agent = await newAgent();
    const { id } = await create();
    const started = await move(id, 'in_progress', {}, agent.auth);
    assert.deepEqual([started.status, started.agentId], ['in_progress', agent.id]);
    const events = (await eventsOf(id)).slice(1);
    assert.deepEqual(events.map((e) => [e.type, e.actor, e.agentId]), [['task.assigned', `agent:${agent.id}`, agent.id], ['task.transitioned', `agent:${agent.id}`, agent.id]]);
    assert.equal((await move(id, 'review', {}, agent.auth)).status, 'review');
  });

  test("an agent may not move another agent's task: 403, nothing appended", async () => {
    const [owner, other] = [await newAgent(), await newAgent()];
    const { id } = await create({ agentId: owner.id });
    await assertRefusedWithoutAppend(suite.hub.db, () => post(`/tasks/${id}/transition`, { to: 'in_progress' }, other.auth), { status: 403, code: 'forbidden', detail: new RegExp(`assigned to ${owner.id}`) });
  });

  test('an agent may not finish or cancel its task: 403 names the moves it may make', async () => {
    const agent = await newAgent();
    const { id } = await create({ agentId: agent.id });
    await move(id, 'in_progress', {}, agent.auth);
    assertProblem(await post(`/tasks/${id}/transition`, { to: 'cancelled' }, agent.auth), 403, 'forbidden', /may move this one to: review, blocked/);
    await move(id, 'review', {}, agent.auth);
    assertProblem(await post(`/tasks/${id}/transition`, { to: 'done' }, agent.auth), 403, 'forbidden', /from review to done/);
  });

  test('an agent blocks and unblocks its own task', async () => {
    const agent = await newAgent();
    const { id } = await create({ agentId: agent.id });
    await move(id, 'in_progress', {}, agent.auth);
    assert.equal((await move(id, 'blocked', { reason: 'needs a key' }, agent.auth)).blockedReason, 'needs a key');
    assert.equal((await move(id, 'in_progress', {}, agent.auth)).status, 'in_progress');
  });

  test('an operator hands a task to another agent with a move', async () => {
    const { id } = await create({ agentId: 'agt_coder' });
    await move(id, 'in_progress');
    const review = await move(id, 'review', { agentId: 'agt_reviewer' });
    assert.deepEqual([review.status, review.agentId], ['review', 'agt_reviewer']);
  });

  test('an agent may not hand its task to another agent: 403', async () => {
    const agent = await newAgent();
    const { id } = await create({ agentId: agent.id });
    await move(id, 'in_progress', {}, agent.auth);
    assertProblem(await post(`/tasks/${id}/transition`, { to: 'review', agentId: 'agt_else' }, agent.auth), 403, 'forbidden', /may not hand a task to another agent/);
  });

  test('a viewer may not move tasks: 403', async () => {
    const { id } = await create();
    assertProblem(await post(`/tasks/${id}/transition`, { to: 'in_progress' }, bearer(await suite.hub.mint('viewer'))), 403, 'forbidden', /viewer/);
  });

  test('two concurrent moves from todo to in_progress: one 200, one 409', async () => {
    const { id } = await create();
    const answers = await Promise.all([post(`/tasks/${id}/transition`, { to: 'in_progress' }), post(`/tasks/${id}/transition`, { to: 'in_progress' })]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409]);
    assertProblem(answers.find((a) => a.status === 409)!, 409, 'conflict', /from in_progress to in_progress/);
    assert.equal((await eventsOf(id)).filter((e) => e.type === 'task.transitioned').length, 1);
  });

  test('two agents racing to take the same task: one gets it, the other a 409', async () => {
    const [a, b] = [await newAgent(), await newAgent()];
    const { id } = await create();
    const answers = await Promise.all([post(`/tasks/${id}/transition`, { to: 'in_progress' }, a.auth), post(`/tasks/${id}/transition`, { to: 'in_progress' }, b.auth)]);
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409]);
    assert.equal((await eventsOf(id)).filter((e) => e.type === 'task.assigned').length, 1);
  });
});

describe('the tasks view and the log', () => {
  test('a rebuild from the log produces identical rows', async () => {
    const { id } = await create({ title: 'Rebuilt', labels: ['r'], agentId: 'agt_r' });
    await move(id, 'in_progress');
    await move(id, 'blocked', { reason: 'for the rebuild' });
    const snapshot = () => suite.hub.db.selectFrom('tasks').selectAll().orderBy('id').execute();
    const before = await snapshot();
    await rebuildViews(suite.hub.db, [tasksProjection(suite.hub.config.loops)]);
    assert.deepEqual(await snapshot(), before);
  });
});

// Projects: a template's agents, and the tasks and decisions asked for a project or about its
// agents, belong to it; `?project=` narrows every list and the log's pages to it; a hub that
// configures none has the one project `default`; bad project names are 400s that list the known.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventEnvelope } from '../../server/client/views.ts';
import { testDatabase } from '../helpers/database.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { testHub } from '../helpers/hub.ts';
import { until } from '../helpers/until.ts';

const idle = { command: process.execPath, args: ['-e', 'setTimeout(() => {}, 300)'] };
const suite = hubSuite({
  projects: { shop: { description: 'the web shop', repo: '/srv/git/shop.git' }, docs: {} },
  templates: { shopper: { ...idle, project: 'shop' }, plain: idle },
});

async function spawn(template: string): Promise<string> {
  const res = await suite.hub.post('/spawn', { template });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return res.body.agentId as string;
}

describe('projects', () => {
  test('GET /projects lists default and the configured ones, with their description and repository', async () => {
    const res = await suite.hub.get('/projects');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.projects, [
      { id: 'default', description: null, repo: null },
      { id: 'shop', description: 'the web shop', repo: '/srv/git/shop.git' },
      { id: 'docs', description: null, repo: null },
    ]);
  });

  test("an agent belongs to its template's project; ?project= lists only that project's agents", async () => {
    const shopper = await spawn('shopper');
    const plain = await spawn('plain');
    assert.equal((await suite.hub.get(`/agents/${shopper}`)).body.projectId, 'shop');
    assert.equal((await suite.hub.get(`/agents/${plain}`)).body.projectId, 'default');
    const shop = (await suite.hub.get('/agents?project=shop')).body.agents.map((a: { id: string }) => a.id);
    assert.ok(shop.includes(shopper) && !shop.includes(plain), JSON.stringify(shop));
    const [requested] = (await suite.hub.get(`/events?agent=${shopper}&types=agent.spawn_requested`)).body.events as EventEnvelope[];
    assert.equal(requested!.data.projectId, 'shop', 'the spawn request carries the project');
  });

  test('a task belongs to the project it names (default otherwise); an unknown project is a 400 that lists the known', async () => {
    const shopTask = await suite.hub.post('/tasks', { title: 'Fix the cart', projectId: 'shop' });
    assert.equal(shopTask.status, 201, JSON.stringify(shopTask.body));
    assert.equal(shopTask.body.projectId, 'shop');
    assert.equal((await suite.hub.post('/tasks', { title: 'Anything' })).body.projectId, 'default');
    const unknown = await suite.hub.post('/tasks', { title: 'Lost', projectId: 'nope' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.detail, 'no project "nope"; configured: default, shop, docs');
    assert.equal((await suite.hub.post('/tasks', { title: 'Bad', projectId: 'Not A Project' })).status, 400, 'the pattern');
    const listed = (await suite.hub.get('/tasks?project=shop')).body.tasks.map((t: { title: string }) => t.title);
    assert.deepEqual(listed, ['Fix the cart']);
  });

  test("a decision belongs to its agent's project, else its task's, else the one it names", async () => {
    const shopper = await spawn('shopper');
    const byAgent = await suite.hub.post('/decisions', { title: 'Deploy?', risk: 'high', agentId: shopper, projectId: 'docs' });
    assert.equal(byAgent.status, 201, JSON.stringify(byAgent.body));
    assert.equal(byAgent.body.projectId, 'shop', "the agent's project wins");
    const task = await suite.hub.post('/tasks', { title: 'Write the guide', projectId: 'docs' });
    const byTask = await suite.hub.post('/decisions', { title: 'Publish?', risk: 'high', taskId: task.body.id });
    assert.equal(byTask.body.projectId, 'docs');
    const named = await suite.hub.post('/decisions', { title: 'Rename?', risk: 'high', projectId: 'docs' });
    assert.equal(named.body.projectId, 'docs');
    assert.equal((await suite.hub.post('/decisions', { title: 'Where?', risk: 'high', projectId: 'nope' })).status, 400);
    const docs = (await suite.hub.get('/decisions?project=docs')).body.decisions.map((d: { title: string }) => d.title).sort();
    assert.deepEqual(docs, ['Publish?', 'Rename?']);
  });

  test("GET /events?project= pages only the events about the project's agents, tasks and decisions", async () => {
    const shopper = await spawn('shopper');
    const plain = await spawn('plain');
    await until('both ended', async () => {
      const ended = (await suite.hub.get('/events?types=agent.exited,agent.failed&limit=1000')).body.events as EventEnvelope[];
      return [shopper, plain].every((id) => ended.some((e) => e.agentId === id)) ? true : undefined;
    });
    const page = (await suite.hub.get('/events?project=shop&limit=1000')).body.events as EventEnvelope[];
    const agents = new Set(page.map((e) => e.agentId).filter(Boolean));
    assert.ok(agents.has(shopper), 'the shop agent');
    assert.ok(!agents.has(plain), 'not the default one');
    assert.ok(page.some((e) => e.type === 'task.created' && e.data.title === 'Fix the cart'), "the shop's task");
    for (const e of page) assert.ok(e.agentId !== undefined || e.taskId !== undefined || e.decisionId !== undefined, `${e.type} is about something of the project`);
    assert.equal((await suite.hub.get('/events?project=a%20b')).status, 400);
  });
});

test('a hub whose template names a project it does not configure refuses to start, naming both', async () => {
  const database = await testDatabase();
  try {
    await assert.rejects(
      testHub(database.url, { templates: { lost: { ...idle, project: 'nowhere' } } }),
      /template "lost" names the project "nowhere", which projects does not list \(configured: default\)/,
    );
  } finally {
    await database.drop();
  }
});

describe('a stream of one project', () => {
  test('replays, then follows live, only the events of its agents, tasks and decisions, learning of new ones as they are created', async () => {
    const before = await spawn('shopper');
    const stream = await suite.hub.sse('/events?project=shop&after=0');
    const seen = stream.events;
    assert.equal(stream.status, 200);
    try {
      const live = await spawn('shopper');
      const other = await spawn('plain');
      const task = await suite.hub.post('/tasks', { title: 'Live shop task', projectId: 'shop' });
      const decision = await suite.hub.post('/decisions', { title: 'Live shop question', risk: 'high', projectId: 'shop' });
      await suite.hub.post('/decisions', { title: 'Live docs question', risk: 'high', projectId: 'docs' });
      await stream.until((events) => events.some((e) => e.decisionId === decision.body.id) && events.some((e) => e.agentId === live && e.type === 'agent.spawned'), 15_000);
      const agents = new Set(seen.map((e) => e.agentId).filter(Boolean));
      assert.ok(agents.has(before), 'replayed');
      assert.ok(agents.has(live), 'followed live, from its spawn request on');
      assert.ok(!agents.has(other), 'not the default agent');
      assert.ok(seen.some((e) => e.taskId === task.body.id), "the project's new task");
      assert.ok(!seen.some((e) => e.type === 'decision.requested' && e.data.title === 'Live docs question'), "not another project's decision");
    } finally {
      stream.close();
    }
  });
});


describe('a token scoped to one project', () => {
  let shop: Record<string, string>;
  let shopViewer: Record<string, string>;
  let own: { agent: string; task: string; decision: string };
  let other: { agent: string; task: string; decision: string };
  const mint = async (role: string, projectId: string) => {
    const res = await suite.hub.post('/tokens', { role, projectId }, { authorization: `Bearer ${suite.hub.adminToken}` });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { authorization: `Bearer ${res.body.token}` };
  };
  /** An agent of `template` that waits, a task and a pending decision of the same project. */
  const things = async (template: string, projectId: string) => {
    const agent = await spawn(template);
    const task = (await suite.hub.post('/tasks', { title: `a ${projectId} task`, projectId })).body.id as string;
    const decision = (await suite.hub.post('/decisions', { title: `a ${projectId} question`, risk: 'high', projectId })).body.id as string;
    return { agent, task, decision };
  };

  test('only an operator or a viewer token takes a project, and only a configured one', async () => {
    for (const role of ['admin', 'healer', 'runner']) {
      const res = await suite.hub.post('/tokens', { role, projectId: 'shop' }, { authorization: `Bearer ${suite.hub.adminToken}` });
      assert.equal(res.status, 400, role);
    }
    assert.equal((await suite.hub.post('/tokens', { role: 'operator', projectId: 'nope' }, { authorization: `Bearer ${suite.hub.adminToken}` })).status, 400);
    shop = await mint('operator', 'shop');
    shopViewer = await mint('viewer', 'shop');
    own = await things('shopper', 'shop');
    other = await things('plain', 'default');
    const listed = (await suite.hub.get('/tokens', { authorization: `Bearer ${suite.hub.adminToken}` })).body.tokens;
    assert.ok(listed.some((t: { projectId: string | null }) => t.projectId === 'shop'));
  });

  test('sees only its project: lists narrowed, another project asked is a 403, a thing of another project a 404', async () => {
    for (const headers of [shop, shopViewer]) {
      const agents = (await suite.hub.get('/agents', headers)).body.agents as Array<{ projectId: string }>;
      assert.ok(agents.length > 0 && agents.every((a) => a.projectId === 'shop'));
      assert.ok(((await suite.hub.get('/tasks', headers)).body.tasks as Array<{ projectId: string }>).every((t) => t.projectId === 'shop'));
      assert.ok(((await suite.hub.get('/decisions', headers)).body.decisions as Array<{ projectId: string }>).every((d) => d.projectId === 'shop'));
      assert.deepEqual((await suite.hub.get('/projects', headers)).body.projects.map((p: { id: string }) => p.id), ['shop']);
      assert.equal((await suite.hub.get('/whoami', headers)).body.projectId, 'shop', 'whoami names the project, so a client offers only it');
      assert.equal((await suite.hub.get('/agents?project=docs', headers)).status, 403);
      for (const path of [`/agents/${other.agent}`, `/tasks/${other.task}`, `/decisions/${other.decision}`]) assert.equal((await suite.hub.get(path, headers)).status, 404, path);
      for (const path of [`/agents/${own.agent}`, `/tasks/${own.task}`, `/decisions/${own.decision}`]) assert.equal((await suite.hub.get(path, headers)).status, 200, path);
      const page = (await suite.hub.get('/events?limit=1000', headers)).body.events as EventEnvelope[];
      assert.ok(page.some((e) => e.agentId === own.agent) && !page.some((e) => e.agentId === other.agent), 'the log, narrowed');
      const [otherEvent] = (await suite.hub.get(`/events?agent=${other.agent}&limit=1`)).body.events as EventEnvelope[];
      assert.equal((await suite.hub.get(`/events/${otherEvent!.id}`, headers)).status, 404);
      for (const path of ['/budgets', '/metrics', '/runners']) assert.equal((await suite.hub.get(path, headers)).status, 403, path);
    }
    assert.deepEqual((await suite.hub.get('/templates', shop)).body.templates.map((t: { name: string }) => t.name), ['shopper']);
  });

  test("acts only in its project: another project's agents, tasks and decisions are 404s, what spans projects is a 403", async () => {
    const post = (path: string, body: unknown = {}) => suite.hub.post(path, body, shop);
    assert.equal((await post('/spawn', { template: 'plain' })).status, 403);
    assert.equal((await post('/inject', { agentId: other.agent, message: 'hi' })).status, 404);
    for (const action of ['pause', 'resume', 'stop', 'merge']) assert.equal((await post(`/agents/${other.agent}/${action}`)).status, 404, action);
    assert.equal((await post(`/tasks/${other.task}/transition`, { to: 'in_progress' })).status, 404);
    assert.equal((await post(`/decisions/${other.decision}/resolve`, { outcome: 'approve' })).status, 404);
    assert.equal((await post(`/decisions/${other.decision}/cancel`)).status, 404);
    assert.equal((await post('/decisions', { title: 'theirs', risk: 'high', agentId: other.agent })).status, 403);
    assert.equal((await post('/tasks', { title: 'theirs', projectId: 'docs' })).status, 403);
    assert.equal((await post('/tasks', { title: 'for theirs', agentId: other.agent })).status, 403);
    assert.equal((await post('/events', { type: 'x.note', data: {}, agentId: other.agent })).status, 403);
    assert.equal((await post('/events', { type: 'x.note', data: {} })).status, 403, 'an event about nothing is about no project');
    for (const path of ['/pause-all', '/resume-all']) assert.equal((await post(path)).status, 403, path);
    assert.equal((await post('/budgets', { scope: 'global', limitUsd: 5 })).status, 403);

    const task = await post('/tasks', { title: 'ours' });
    assert.deepEqual([task.status, task.body.projectId], [201, 'shop'], 'its tasks are of its project');
    const asked = await post('/decisions', { title: 'ours?', risk: 'high' });
    assert.deepEqual([asked.status, asked.body.projectId], [201, 'shop'], 'its decisions too');
    assert.equal((await post(`/decisions/${own.decision}/resolve`, { outcome: 'approve' })).status, 200);
    assert.equal((await post(`/tasks/${own.task}/transition`, { to: 'in_progress' })).status, 200);
    assert.equal((await post('/events', { type: 'x.note', data: {}, taskId: own.task })).status, 201);
    assert.equal((await post('/spawn', { template: 'shopper' })).status, 202);
  });
});

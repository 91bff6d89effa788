import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HubClientError } from '../../server/client/errors.ts';
import { failureLabel, findFailure } from '../../dashboard/src/state/failure-lookup.ts';
import type { PageQuery } from '../../server/client/pagination.ts';
import { nameOf } from '../../dashboard/src/state/actor-names.ts';
import { emptyState, withAgents } from '../../dashboard/src/state/dashboard-state.ts';
import { findLogHead, lastPage, readOnward } from '../../dashboard/src/state/log-head.ts';
import { Mission } from '../../dashboard/src/state/mission.ts';
import type { EventEnvelope } from '../../dashboard/src/state/types.ts';
import { type FakeCalls, FakeSource, ManualTimers, agent, decision, envelope, fakeHub, logPages, task } from '../helpers/dashboard-fakes.ts';

const logOf = (seqs: number[]) => seqs.map((seq) => envelope(seq));

describe('finding the head of the log', () => {
  test('an empty log has head 0', async () => {
    assert.equal(await findLogHead(logPages([])), 0);
  });

  test('one read, of the head every page reports, holes in the seq or not', async () => {
    const reads: PageQuery[] = [];
    const log = logOf([...Array.from({ length: 1500 }, (_, i) => i * 3 + 1), 9000]);
    assert.equal(await findLogHead(logPages(log, reads)), 9000);
    assert.equal(reads.length, 1);
  });

  test('the last page stops at the head: the stream replays what follows', async () => {
    const page = await lastPage(logPages(logOf([1, 2, 3, 4, 5])), 4, 2);
    assert.deepEqual(page.events.map((e) => e.seq), [3, 4]);
    assert.equal(page.next, 4);
  });

  test('a last page the byte budget cuts short keeps the newest events, up to the head', async () => {
    const page = await lastPage(logPages(logOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), [], 3), 10, 5);
    assert.deepEqual(page.events.map((e) => e.seq), [8, 9, 10]);
  });
});

describe('reading the log onward', () => {
  const log = logOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

  test('a page the byte budget cut short is not taken for the end', async () => {
    const events = await readOnward(logPages(log, [], 3), { after: 0, limit: 1000 }, 10);
    assert.deepEqual(events.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test('it stops at the head the pages report, without reading an empty page', async () => {
    const reads: PageQuery[] = [];
    await readOnward(logPages(log, reads, 3), { after: 0, limit: 1000 }, 10);
    assert.deepEqual(reads.map((q) => q.after), [0, 3, 6, 9]);
  });

  test('a filtered read ends at an empty page when the newest events are of other types', async () => {
    const mixed = [envelope(1, 'heal.completed'), envelope(2), envelope(3, 'heal.completed'), envelope(4)];
    const events = await readOnward(logPages(mixed, [], 1), { after: 0, limit: 1000, types: 'heal.completed' }, 10);
    assert.deepEqual(events.map((e) => e.seq), [1, 3]);
  });

  test('at most maxPages pages, and nothing past until', async () => {
    assert.equal((await readOnward(logPages(log, [], 2), { after: 0, limit: 1000 }, 2)).length, 4);
    assert.deepEqual((await readOnward(logPages(log, [], 2), { after: 0, limit: 1000 }, 10, 5)).map((e) => e.seq), [1, 2, 3, 4, 5, 6]);
  });
});

describe('finding the failure a heal answers', () => {
  const failure = envelope(5, 'agent.failed', { id: 'fail_1', agentId: 'a' });
  const heal = envelope(9, 'heal.completed', { agentId: 'a', data: { failureEventId: 'fail_1', playbook: 'p', action: 'respawn', attempts: 1 } });

  test('from the events in memory without a request', async () => {
    assert.equal(await findFailure(heal, [failure], async () => assert.fail('no request')), failure);
  });

  test('else read from the log by its id, one request, whether or not the heal names an agent', async () => {
    const asked: string[] = [];
    const read = async (id: string) => (asked.push(id), id === 'fail_1' ? failure : undefined);
    assert.equal((await findFailure(heal, [], read))?.id, 'fail_1');
    const { agentId: _, ...withoutAgent } = heal;
    assert.equal((await findFailure(withoutAgent, [], read))?.id, 'fail_1');
    assert.deepEqual(asked, ['fail_1', 'fail_1']);
  });

  test('undefined when it is not there', async () => {
    assert.equal(await findFailure(heal, [], async () => undefined), undefined);
  });

  test('reads as who failed and with what error, never as an event id', () => {
    const failed = envelope(5, 'agent.failed', { id: 'fail_1', agentId: 'a', data: { code: 2, error: 'database password rejected' } });
    assert.equal(failureLabel(heal, [failed], 'nightly-import'), 'nightly-import failed: database password rejected');
    assert.equal(failureLabel(heal, [], 'nightly-import'), 'nightly-import failed');
    assert.equal(failureLabel(heal, [], undefined), 'An agent failed');
  });
});

const projects = [
  { id: 'default', description: null, repo: null },
  { id: 'shop', description: 'the web shop', repo: null },
];

function startedMission(overrides: FakeCalls = {}, log: EventEnvelope[] = logOf([1, 2, 3]), project?: string) {
  const sources: FakeSource[] = [];
  const timers = new ManualTimers();
  const calls: string[] = [];
  const hub = fakeHub(
    {
      events: { page: logPages(log) },
      agents: { list: async () => [agent('a')], get: async (id) => (calls.push(`agent ${id}`), agent(id, { status: 'paused' })) },
      tasks: { list: async () => [task('t')], get: async (id) => (calls.push(`task ${id}`), task(id, { status: 'in_progress' })) },
      decisions: {
        list: async ({ status } = {}) => (status === 'pending' ? [decision('d1')] : [decision('d1'), decision('d0', { status: 'resolved' })]),
        get: async (id) => (calls.push(`decision ${id}`), decision(id, { status: 'resolved' })),
      },
      actors: { list: async (ids) => (ids ? (calls.push(`actors ${ids.join(',')}`), []) : [{ actor: 'hub', name: 'hub', role: 'hub' }]) },
      projects: { list: async () => projects },
    },
    overrides,
  );
  const mission = new Mission({
    hub,
    streamUrl: (after, project) => `/events?after=${after}${project ? `&project=${project}` : ''}`,
    openSource: (url) => {
      const source = new FakeSource(url);
      sources.push(source);
      return source;
    },
    timers,
    batchMs: 0,
    ...(project ? { project } : {}),
  });
  return { mission, sources, timers, calls };
}

describe('the mission', () => {
  test('loads the views and the last page, then opens one stream after the head', async () => {
    const { mission, sources } = startedMission();
    await mission.start();
    const state = mission.state.value;
    assert.equal(state.loaded, true);
    assert.deepEqual(state.events.map((e) => e.seq), [1, 2, 3]);
    assert.equal(state.lastSeq, 3);
    assert.deepEqual([...state.agents.keys()], ['a']);
    assert.deepEqual([...state.decisions.keys()].sort(), ['d0', 'd1']);
    assert.equal(sources.length, 1);
    assert.equal(sources[0]!.url, '/events?after=3');
  });

  test('loads every heal and the newest events even when the byte budget cuts each page to two events', async () => {
    const heals = [2, 4, 6, 8, 10].map((seq) => envelope(seq, 'heal.completed'));
    const log = logOf([1, 3, 5, 7, 9, 11]).concat(heals).sort((a, b) => a.seq - b.seq);
    const { mission } = startedMission({ events: { page: logPages(log, [], 2) } }, log);
    await mission.start();
    const state = mission.state.value;
    assert.deepEqual(state.heals.map((e) => e.seq), [2, 4, 6, 8, 10]);
    assert.equal(state.lastSeq, 11);
    assert.deepEqual(state.events.map((e) => e.seq), [10, 11]);
  });

  test('a failed load shows the problem detail and opens no stream', async () => {
    const { mission, sources } = startedMission({ agents: { list: async () => Promise.reject(new HubClientError(503, 'unavailable', 'the database is unreachable', 'x')) } });
    await mission.start();
    assert.equal(mission.state.value.loadError, 'the database is unreachable');
    assert.equal(sources.length, 0);
  });

  test('an event of a kind re-reads that one resource by id', async () => {
    const { mission, sources, timers, calls } = startedMission();
    await mission.start();
    const source = sources[0]!;
    source.send(envelope(4, 'agent.paused', { agentId: 'a' }));
    source.send(envelope(5, 'task.transitioned', { taskId: 't' }));
    source.send(envelope(6, 'decision.resolved', { decisionId: 'd1' }));
    timers.advance(0);
    await mission.connection.settled();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(calls.sort(), ['agent a', 'decision d1', 'task t']);
    const state = mission.state.value;
    assert.equal(state.agents.get('a')?.status, 'paused');
    assert.equal(state.tasks.get('t')?.status, 'in_progress');
    assert.equal(state.decisions.get('d1')?.status, 'resolved');
    assert.deepEqual(state.events.map((e) => e.seq), [1, 2, 3, 4, 5, 6]);
  });

  test('events arriving during a re-read cause exactly one more', async () => {
    let release: () => void = () => undefined;
    let reads = 0;
    const { mission, sources, timers } = startedMission({
      agents: {
        get: async (id) => {
          reads++;
          if (reads === 1) await new Promise<void>((resolve) => (release = resolve));
          return agent(id);
        },
      },
    });
    await mission.start();
    const source = sources[0]!;
    for (let seq = 4; seq <= 8; seq++) {
      source.send(envelope(seq, 'agent.paused', { agentId: 'a' }));
      timers.advance(0);
      await mission.connection.settled();
    }
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(reads, 2);
  });

  test('a command applies the view the hub answers', async () => {
    const { mission } = startedMission({ decisions: { resolve: async (id, outcome, comment) => decision(id, { status: 'resolved', outcome, comment: comment ?? null }) } });
    await mission.start();
    await mission.resolve('d1', 'deny', 'not now');
    assert.equal(mission.state.value.decisions.get('d1')?.outcome, 'deny');
  });

  test("a command's failure reaches the caller with the problem", async () => {
    const { mission } = startedMission({ agents: { pause: async () => Promise.reject(new HubClientError(409, 'conflict', 'agent a is already paused', 'x')) } });
    await mission.start();
    await assert.rejects(mission.pause('a'), (error: HubClientError) => error.detail === 'agent a is already paused');
  });
});

describe('names, not ids', () => {
  const ann = { actor: 'operator:tok_3f9a1c0b2d4e', name: 'ann', role: 'operator' };

  test('a person reads the name /actors gave, an agent its view\'s name, an unknown token its role and a short id', () => {
    const state = { ...withAgents(emptyState, [agent('agt_1', { name: 'fixer' })]), actors: new Map([[ann.actor, 'ann']]) };
    assert.equal(nameOf(state, ann.actor), 'ann');
    assert.equal(nameOf(state, 'agent:agt_1'), 'fixer');
    assert.equal(nameOf(state, 'agent:agt_gone'), 'agt_gone');
    assert.equal(nameOf(state, 'viewer:tok_77aa88bb99cc'), 'viewer 77aa88');
    assert.equal(nameOf(state, 'hub'), 'hub');
  });

  test('the names are loaded with the views', async () => {
    const { mission } = startedMission({ actors: { list: async () => [ann] } });
    await mission.start();
    assert.equal(nameOf(mission.state.value, ann.actor), 'ann');
  });

  test('a person new to the dashboard is named with one request, and not asked for again', async () => {
    const { mission, sources, timers, calls } = startedMission({
      actors: { list: async (ids) => (ids ? (calls.push(`actors ${ids.join(',')}`), ids.includes(ann.actor) ? [ann] : []) : [{ actor: 'hub', name: 'hub', role: 'hub' }]) },
    });
    await mission.start();
    const source = sources[0]!;
    source.send(envelope(4, 'hub.paused_all', { actor: ann.actor }));
    source.send(envelope(5, 'hub.resumed_all', { data: { by: ann.actor } }));
    timers.advance(0);
    await mission.connection.settled();
    await new Promise((resolve) => setImmediate(resolve));
    source.send(envelope(6, 'hub.paused_all', { actor: ann.actor }));
    timers.advance(0);
    await mission.connection.settled();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(calls, [`actors ${ann.actor}`]);
    assert.equal(nameOf(mission.state.value, ann.actor), 'ann');
  });

  test("the brief's deciders are named too, though their answers are older than the events in memory", async () => {
    const decided = { id: 'dec_1', title: 'Ship?', risk: 'high', status: 'resolved', outcome: 'approve', by: ann.actor, person: null, agentId: null, taskId: null, at: '2026-01-01T00:00:00.000Z' };
    const brief = { decided: [decided, { ...decided, id: 'dec_2', status: 'expired', by: null }] };
    const { mission, calls } = startedMission({
      actors: { list: async (ids) => (ids ? (calls.push(`actors ${ids.join(',')}`), [ann]) : []) },
      brief: { get: async () => brief as never },
    });
    await mission.start();
    await mission.brief(new Date(0));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(calls, [`actors ${ann.actor}`]);
    assert.equal(nameOf(mission.state.value, ann.actor), 'ann');
  });

  test('an actor the hub cannot name reads as its role and a short id, and is asked for once', async () => {
    const { mission, sources, timers, calls } = startedMission();
    await mission.start();
    for (const seq of [4, 5]) {
      sources[0]!.send(envelope(seq, 'hub.paused_all', { actor: 'admin:tok_0a1b2c3d4e5f' }));
      timers.advance(0);
      await mission.connection.settled();
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(calls, ['actors admin:tok_0a1b2c3d4e5f']);
    assert.equal(nameOf(mission.state.value, 'admin:tok_0a1b2c3d4e5f'), 'admin 0a1b2c');
  });
});

describe('one project at a time', () => {
  /** A hub that records the project of every list and page read. */
  function projectHub(project?: string, overrides: FakeCalls = {}) {
    const asked: string[] = [];
    const of = (what: string, q: { project?: string } = {}) => asked.push(`${what} ${q.project ?? 'all'}`);
    const reads: PageQuery[] = [];
    const page = logPages(logOf([1, 2, 3]), reads);
    const started = startedMission(
      {
        events: { page },
        agents: { list: async (q) => (of('agents', q), [agent('a', { projectId: q?.project ?? 'default' })]) },
        tasks: { list: async (q) => (of('tasks', q), []) },
        decisions: { list: async (q) => (of('decisions', q), []) },
        ...overrides,
      },
      undefined,
      project,
    );
    return { ...started, asked, reads };
  }

  test('every view, the pages and the stream are read for the chosen project; the projects for the switcher', async () => {
    const { mission, sources, asked, reads } = projectHub('shop');
    await mission.start();
    assert.deepEqual([...new Set(asked)].sort(), ['agents shop', 'decisions shop', 'tasks shop']);
    assert.ok(reads.filter((q) => q.limit !== 1).every((q) => q.project === 'shop'), JSON.stringify(reads));
    assert.equal(sources[0]!.url, '/events?after=3&project=shop');
    assert.equal(mission.state.value.project, 'shop');
    assert.deepEqual(mission.state.value.projects.map((p) => p.id), ['default', 'shop']);
  });

  test('a project the hub does not have shows every project', async () => {
    const { mission, sources, asked } = projectHub('gone');
    await mission.start();
    assert.equal(mission.state.value.project, undefined);
    assert.ok(asked.every((call) => call.endsWith(' all')), asked.join(', '));
    assert.equal(sources[0]!.url, '/events?after=3');
  });

  test('choosing a project closes the stream, empties the views and loads them again for it; choosing it again does nothing', async () => {
    const { mission, sources, asked } = projectHub();
    await mission.start();
    assert.equal(mission.state.value.agents.get('a')?.projectId, 'default');
    asked.length = 0;
    await mission.selectProject('shop');
    assert.equal(sources[0]!.closed, true);
    assert.equal(sources.length, 2);
    assert.equal(sources[1]!.url, '/events?after=3&project=shop');
    assert.equal(mission.state.value.agents.get('a')?.projectId, 'shop');
    assert.deepEqual([...new Set(asked)].sort(), ['agents shop', 'decisions shop', 'tasks shop']);
    await mission.selectProject('shop');
    assert.equal(sources.length, 2, 'the same project: no new load');
    await mission.selectProject(undefined);
    assert.equal(sources[2]!.url, '/events?after=3');
  });

  test("one project's stream skips other projects' seqs without reading them as a gap", async () => {
    const { mission, sources, timers, reads } = projectHub('shop');
    await mission.start();
    reads.length = 0;
    sources[0]!.sendUnnamed(envelope(9, 'x.note'));
    timers.advance(0);
    await mission.connection.settled();
    assert.deepEqual(mission.state.value.events.map((e) => e.seq), [1, 2, 3, 9]);
    assert.deepEqual(reads, [], 'no read of seqs 4 to 8');
  });

  test('a load that answers after another project was chosen is dropped', async () => {
    let release: () => void = () => undefined;
    let first = true;
    const { mission, sources } = projectHub(undefined, {
      tasks: {
        list: async () => {
          if (first) {
            first = false;
            await new Promise<void>((resolve) => (release = resolve));
          }
          return [task('slow')];
        },
      },
    });
    const slow = mission.start();
    await new Promise((resolve) => setImmediate(resolve));
    await mission.selectProject('shop');
    release();
    await slow;
    assert.equal(mission.state.value.project, 'shop');
    assert.equal(sources.length, 1, 'one stream, for shop');
    assert.equal(sources[0]!.url, '/events?after=3&project=shop');
  });
});

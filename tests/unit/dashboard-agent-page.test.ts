import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { agentActions } from '../../dashboard/src/state/agent-actions.ts';
import { decisionOrder, emptyActivity, mergeable, runTotals, withActivity } from '../../dashboard/src/state/agent-activity.ts';
import { AgentOutput, type OutputWindow, emptyWindow, withLive, withNewer, withOlder } from '../../dashboard/src/state/agent-output.ts';
import { AgentPage, eventsAfter, followNewEvents } from '../../dashboard/src/state/agent-page.ts';
import { ansiSpans, plainText } from '../../dashboard/src/state/ansi.ts';
import { emptyState, withEvents } from '../../dashboard/src/state/dashboard-state.ts';
import { Store } from '../../dashboard/src/state/store.ts';
import type { EventEnvelope } from '../../dashboard/src/state/types.ts';
import { HubClientError } from '../../server/client/errors.ts';
import type { PageQuery } from '../../server/client/pagination.ts';
import { Mission } from '../../dashboard/src/state/mission.ts';
import { FakeSource, ManualTimers, agent, decision, envelope, fakeHub, logPages } from '../helpers/dashboard-fakes.ts';

const ESC = '\x1b';
const output = (seq: number, line = `line ${seq}`, agentId = 'agt_a', stream = 'stdout') => envelope(seq, 'agent.output', { agentId, data: { stream, line } });
const about = (seq: number, type: string, data: Record<string, unknown> = {}, extra: Partial<EventEnvelope> = {}) => envelope(seq, type, { agentId: 'agt_a', data, ...extra });
const seqs = (window: OutputWindow) => window.lines.map((l) => l.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('the ANSI converter', () => {
  test('plain text is one unstyled run', () => {
    assert.deepEqual(ansiSpans('hello world'), [{ text: 'hello world', fg: undefined, bold: false }]);
    assert.deepEqual(ansiSpans(''), []);
  });

  test('colours 30–37 and 90–97 and bold, until a reset', () => {
    assert.deepEqual(ansiSpans(`${ESC}[31merror${ESC}[0m: ${ESC}[1;92mok${ESC}[m done`), [
      { text: 'error', fg: 31, bold: false },
      { text: ': ', fg: undefined, bold: false },
      { text: 'ok', fg: 92, bold: true },
      { text: ' done', fg: undefined, bold: false },
    ]);
  });

  test('39 resets the colour only, 22 the weight only; runs of one style are joined', () => {
    assert.deepEqual(ansiSpans(`${ESC}[1m${ESC}[34ma${ESC}[39mb${ESC}[22mc${ESC}[33m${ESC}[33md`), [
      { text: 'a', fg: 34, bold: true },
      { text: 'b', fg: undefined, bold: true },
      { text: 'c', fg: undefined, bold: false },
      { text: 'd', fg: 33, bold: false },
    ]);
  });

  test('256-colour and true-colour arguments are skipped, not read as codes', () => {
    assert.deepEqual(ansiSpans(`${ESC}[38;5;31mx${ESC}[38;2;1;31;1my${ESC}[48;5;1;32mz`), [
      { text: 'xy', fg: undefined, bold: false },
      { text: 'z', fg: 32, bold: false },
    ]);
  });

  test('every other escape and control character is removed; a tab stays', () => {
    const line = `${ESC}[2K${ESC}[1A\r${ESC}]0;a title\x07${ESC}]8;;https://x.invalid${ESC}\\link${ESC}]8;;${ESC}\\${ESC}(B${ESC}7\tcol${ESC}[?25l\x08\x00\x9b1m${ESC}P1$r${ESC}\\ end${ESC}`;
    const spans = ansiSpans(line);
    assert.equal(plainText(spans), 'link\tcol end');
    assert.ok(spans.every((s) => s.fg === undefined && !s.bold));
  });

  test('an unterminated OSC swallows the rest of the line, and an SGR with private markers is ignored', () => {
    assert.equal(plainText(ansiSpans(`before${ESC}]0;never closed`)), 'before');
    assert.deepEqual(ansiSpans(`${ESC}[>4;2mtext`), [{ text: 'text', fg: undefined, bold: false }]);
  });

  test('markup in a line stays text', () => {
    assert.equal(plainText(ansiSpans(`${ESC}[31m<img src=x onerror=alert(1)>${ESC}[0m`)), '<img src=x onerror=alert(1)>');
  });
});

describe("the output window's pure moves", () => {
  const window = (from: number, to: number, flags: Partial<OutputWindow> = {}): OutputWindow => ({ ...withNewer({ ...emptyWindow, older: false }, range(from, to).map((s) => output(s)), false, 10_000), ...flags });

  test('an older page (newest first) goes before the first line; past the cap the newest go', () => {
    const w = withOlder(window(11, 15, { older: true }), range(6, 10).reverse().map((s) => output(s)), true, 8);
    assert.deepEqual(seqs(w), range(6, 13));
    assert.equal(w.newer, true, 'lines 14 and 15 were let go');
    assert.equal(w.older, true);
    assert.equal(withOlder(w, [], false, 8).older, false, 'an empty page is the start');
  });

  test('a newer page goes after the last line; past the cap the oldest go', () => {
    const w = withNewer(window(1, 5, { newer: true }), range(6, 10).map((s) => output(s)), false, 8);
    assert.deepEqual(seqs(w), range(3, 10));
    assert.deepEqual([w.older, w.newer], [true, false]);
  });

  test('live lines join a window that reaches the newest; a following terminal lets the oldest go at the cap', () => {
    const w = withLive(window(1, 8), [output(9), output(10), envelope(11, 'x.other', { agentId: 'agt_a' })], true, 8);
    assert.deepEqual(seqs(w), range(3, 10));
    assert.equal(w.older, true);
  });

  test('a terminal scrolled up keeps its lines at the cap and stops reaching the newest', () => {
    const w = withLive(window(1, 7), [output(8), output(9)], false, 8);
    assert.deepEqual(seqs(w), range(1, 8));
    assert.equal(w.newer, true);
    assert.equal(withLive(w, [output(10)], true, 8), w, 'a detached window takes no live lines: they are read on demand');
  });

  test('lines carry their stream, styles and marks', () => {
    const w = withLive(window(1, 1), [envelope(2, 'agent.output', { agentId: 'agt_a', data: { stream: 'stderr', line: `${ESC}[31mboom`, truncated: true } })], true);
    assert.deepEqual(w.lines[1], { seq: 2, stream: 'stderr', spans: [{ text: 'boom', fg: 31, bold: false }], truncated: true, redacted: false });
  });
});

describe('an agent output read from the log', () => {
  const log = [...range(1, 1500).map((s) => output(s * 2)), ...range(1, 50).map((s) => output(s * 2 + 1, 'other', 'agt_b'))].sort((a, b) => a.seq - b.seq);

  test('reads the newest page, then older pages back to the first line', async () => {
    const reads: PageQuery[] = [];
    const out = new AgentOutput({ agentId: 'agt_a', read: logPages(log, reads) });
    await out.loadNewest();
    assert.deepEqual(seqs(out.state.value.window).slice(-1), [3000]);
    assert.equal(out.state.value.window.lines.length, 200);
    assert.deepEqual(reads[0], { agent: 'agt_a', types: ['agent.output'], archived: 'include', order: 'desc', limit: 200 });
    while (out.state.value.window.older) await out.loadOlder();
    const lines = out.state.value.window.lines;
    assert.equal(lines.length, 1500);
    assert.equal(plainText(lines[0]!.spans), 'line 2');
    assert.deepEqual(reads.at(-1), { agent: 'agt_a', types: ['agent.output'], archived: 'include', before: 2, limit: 200 }, 'the last read, below the first line, finds none');
  });

  test('keeps at most maxLines, and reads newer pages back to the tail after dropping them', async () => {
    const out = new AgentOutput({ agentId: 'agt_a', read: logPages(log), maxLines: 500 });
    await out.loadNewest();
    out.following = false;
    while (out.state.value.window.older) await out.loadOlder();
    let w = out.state.value.window;
    assert.deepEqual([w.lines.length, w.lines[0]!.seq, w.newer], [500, 2, true]);
    while (out.state.value.window.newer) await out.loadNewer();
    w = out.state.value.window;
    assert.deepEqual([w.lines.length, w.lines.at(-1)!.seq, w.older], [500, 3000, true]);
  });

  test('takes live lines of its agent once, those that came during the first read too', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const read = logPages(log);
    const out = new AgentOutput({ agentId: 'agt_a', read: async (q) => (await held, read(q)) });
    const loading = out.loadNewest();
    out.received([output(3000), output(3002), output(3003, 'not mine', 'agt_b')]);
    release();
    await loading;
    out.received([output(3002), output(3004)]);
    assert.deepEqual(seqs(out.state.value.window).slice(-3), [3000, 3002, 3004]);
  });

  test('a line that came live while the last newer page was read is read too', async () => {
    const grown = [...log];
    const out = new AgentOutput({ agentId: 'agt_a', read: logPages(grown), maxLines: 300 });
    await out.loadNewest();
    out.following = false;
    await out.loadOlder();
    await out.loadOlder(); // 600 lines read, the newest 300 let go
    assert.equal(out.state.value.window.newer, true);
    while (out.state.value.window.newer) {
      const last = out.state.value.window.lines.at(-1)!.seq;
      if (last === 3000) {
        // The hub answers this read before it commits 3002, which the stream then delivers.
        const read = out.loadNewer();
        grown.push(output(3002));
        out.received([output(3002)]);
        await read;
      } else await out.loadNewer();
    }
    assert.equal(out.state.value.window.lines.at(-1)!.seq, 3002);
  });
});

describe("an agent's activity", () => {
  test('says why it failed: the error, the exit code and the last stderr lines', () => {
    const a = withActivity(emptyActivity, [about(5, 'agent.failed', { code: 3, error: 'database password rejected', stderrTail: ['connecting', 'FATAL: password'] })]);
    assert.deepEqual(a.failure, { error: 'database password rejected', code: 3, signal: null, stderrTail: ['connecting', 'FATAL: password'], at: a.failure!.at });
  });

  test('says who paused it and why, until it resumes', () => {
    const paused = withActivity(emptyActivity, [about(2, 'agent.paused', { reason: 'operator', by: 'operator:tok_1', comment: 'lunch' })]);
    assert.deepEqual([paused.paused?.by, paused.paused?.comment], ['operator:tok_1', 'lunch']);
    assert.equal(withActivity(paused, [about(3, 'agent.resumed', { reason: 'operator' })]).paused, undefined);
  });

  test('lists its decisions with how they were settled, pending first', () => {
    const a = withActivity(emptyActivity, [
      about(1, 'decision.requested', { title: 'Push?', risk: 'high' }, { decisionId: 'dec_1' }),
      about(2, 'decision.requested', { title: 'Drop?', risk: 'red' }, { decisionId: 'dec_2' }),
      about(3, 'decision.resolved', { outcome: 'deny', by: 'operator:tok_1' }, { decisionId: 'dec_1' }),
      about(4, 'decision.requested', { title: 'Tag?', risk: 'medium' }, { decisionId: 'dec_3' }),
    ]);
    assert.deepEqual(decisionOrder(a.decisions).map((d) => [d.id, d.status, d.outcome ?? null]), [['dec_2', 'pending', null], ['dec_3', 'pending', null], ['dec_1', 'resolved', 'deny']]);
  });

  test('pairs tool calls by their tool-use id', () => {
    const session = { vendor: 'claude-code', sessionId: 's', cwd: null, transcriptPath: null };
    const a = withActivity(emptyActivity, [
      about(1, 'tool.requested', { ...session, tool: 'Bash', input: { command: 'npm test' }, toolUseId: 't1', policy: { verdict: 'allow', rule: 'r', reason: '', source: 'config' } }),
      about(2, 'tool.requested', { ...session, tool: 'Edit', input: { file_path: 'a.ts' }, toolUseId: 't2', policy: { verdict: 'ask', rule: 'r', reason: '', source: 'config' } }),
      about(3, 'tool.completed', { ...session, tool: 'Bash', toolUseId: 't1' }),
      about(4, 'tool.failed', { ...session, tool: 'Edit', toolUseId: 't2', error: 'no such file' }),
    ]);
    assert.deepEqual(a.tools.map((t) => [t.tool, t.call, t.verdict, t.status, t.error ?? null]), [['Edit', 'a.ts', 'ask', 'failed', 'no such file'], ['Bash', 'npm test', 'allow', 'completed', null]]);
  });

  test('pairs runs with their completions and adds them up', () => {
    const a = withActivity(emptyActivity, [
      about(1, 'run.started', { model: 'm1', estimatedCostUsd: 0.5 }),
      about(2, 'run.completed', { model: 'm1', tokensIn: 1000, tokensOut: 200, costUsd: 0.4 }),
      about(3, 'run.started', { model: 'm2', estimatedCostUsd: 1 }),
      about(4, 'run.completed', { tokensIn: 10, tokensOut: 5, costUsd: 0.01 }),
      about(5, 'run.started', { model: 'm1', estimatedCostUsd: 0.2 }),
    ]);
    assert.deepEqual(a.runs.map((r) => [r.model, r.costUsd ?? null]), [['m1', null], ['m2', 0.01], ['m1', 0.4]]);
    assert.deepEqual(runTotals(a.runs), { runs: 2, tokensIn: 1010, tokensOut: 205, costUsd: 0.41000000000000003 });
  });

  test('shows commits with their diffstat, the finished branch and the merge as it goes', () => {
    const sha = 'a'.repeat(40);
    let a = withActivity(emptyActivity, [
      about(1, 'workspace.committed', { sha, branch: 'mc/fixer', message: 'Add the fix', author: 'fixer <a@b>', files: [{ path: 'a', added: 2, removed: 1 }, { path: 'bin', added: null, removed: null }] }),
      about(2, 'workspace.finished', { branch: 'mc/fixer', base: 'main', baseSha: sha, head: sha, commits: 1, files: 2, added: 2, removed: 1, diff: '+x' }),
      about(3, 'agent.exited', { code: 0 }),
    ]);
    assert.deepEqual(a.commits.map((c) => [c.message, c.files, c.added, c.removed]), [['Add the fix', 2, 2, 1]]);
    assert.equal(a.finished?.commits, 1);
    assert.equal(mergeable(agent('agt_a', { status: 'exited' }), a), true);
    assert.equal(mergeable(agent('agt_a', { status: 'running' }), a), false, 'not while it runs');
    a = withActivity(a, [about(4, 'workspace.merge_requested', { branch: 'mc/fixer', base: 'main', mode: 'fast-forward', template: 'fixer', by: 'operator:tok_1' }, { decisionId: 'dec_m' })]);
    assert.equal(a.merge?.status, 'requested');
    assert.equal(mergeable(agent('agt_a', { status: 'exited' }), a), false, 'not while one is pending');
    const denied = withActivity(a, [about(5, 'decision.resolved', { outcome: 'deny', by: 'operator:tok_1' }, { decisionId: 'dec_m' })]);
    assert.equal(denied.merge?.status, 'denied');
    assert.equal(mergeable(agent('agt_a', { status: 'exited' }), denied), true, 'asked again after a denial');
    const merged = withActivity(a, [about(5, 'workspace.merge_approved', { branch: 'mc/fixer', base: 'main', mode: 'fast-forward', template: 'fixer' }), about(6, 'workspace.merged', { branch: 'mc/fixer', base: 'main', mode: 'fast-forward', sha })]);
    assert.deepEqual([merged.merge?.status, merged.merge?.sha, merged.merge?.decisionId], ['merged', sha, 'dec_m']);
  });

  test('skips events it has folded already', () => {
    const a = withActivity(emptyActivity, [about(2, 'run.started', { model: 'm', estimatedCostUsd: 1 })]);
    assert.equal(withActivity(a, [about(2, 'run.started', { model: 'm', estimatedCostUsd: 1 })]), a);
  });
});

describe("an agent's page", () => {
  test('reads the agent, its activity and its spawn request, and finds the namesake that respawned it', async () => {
    const log = [
      about(1, 'agent.spawn_requested', { template: 't', name: 'fixer' }),
      about(2, 'agent.failed', { error: 'boom', code: 1 }),
      envelope(3, 'agent.spawn_requested', { agentId: 'agt_b', data: { template: 't', name: 'fixer', respawnOf: 'agt_a' } }),
      output(4),
    ];
    const page = new AgentPage('agt_a', { readLog: logPages(log), agent: async (id) => agent(id, { name: 'fixer', status: 'failed' }) });
    await page.load([agent('agt_b', { name: 'fixer' }), agent('agt_c', { name: 'other' })]);
    const s = page.state.value;
    assert.equal(s.activity.failure?.error, 'boom');
    assert.equal(s.respawnedAs, 'agt_b');
    assert.equal(s.activity.respawnOf, undefined);
  });

  test('follows live events: its own, and a respawn of it', async () => {
    const page = new AgentPage('agt_a', { readLog: logPages([]), agent: async (id) => agent(id) });
    page.received([about(1, 'agent.paused', { reason: 'operator', by: 'operator:tok_1' })]);
    await page.load();
    assert.equal(page.state.value.activity.paused?.by, 'operator:tok_1', 'an event that came during the read');
    page.received([envelope(2, 'agent.spawn_requested', { agentId: 'agt_z', data: { template: 't', name: 'n', respawnOf: 'agt_a' } })]);
    assert.equal(page.state.value.respawnedAs, 'agt_z');
  });

  test('says when the hub knows no such agent', async () => {
    const page = new AgentPage('agt_x', { readLog: logPages([]), agent: async () => Promise.reject(new HubClientError(404, 'not_found', 'no agent agt_x', 'GET /agents/agt_x: 404')) });
    await page.load();
    assert.deepEqual([page.state.value.missing, page.state.value.error], [true, 'no agent agt_x']);
  });

  test('hears only the events the dashboard takes in after it started following', () => {
    const store = new Store(withEvents(emptyState, [output(1), output(2)]));
    const heard: number[][] = [];
    const stop = followNewEvents(store, (events) => heard.push(events.map((e) => e.seq)));
    store.update((s) => withEvents(s, [output(3), output(4)]));
    store.update((s) => ({ ...s, loaded: true }));
    stop();
    store.update((s) => withEvents(s, [output(5)]));
    assert.deepEqual(heard, [[3, 4]]);
    assert.deepEqual(eventsAfter([output(1), output(5), output(9)], 4).map((e) => e.seq), [5, 9]);
  });

  test('offers stop for agents the hub started and has not seen end', () => {
    assert.equal(agentActions(agent('a', { template: 'fixer', status: 'running' })).stop, true);
    assert.equal(agentActions(agent('a', { template: 'fixer', status: 'failed' })).stop, false);
    assert.equal(agentActions(agent('a', { template: null, status: 'running' })).stop, false, 'one that registered itself is stopped by whoever runs it');
  });
});

describe('the mission behind the page', () => {
  function mission(log: EventEnvelope[], calls: string[] = []) {
    const sources: FakeSource[] = [];
    const hub = fakeHub({
      events: { page: logPages(log) },
      agents: {
        list: async () => [agent('agt_a', { template: 'fixer' })],
        get: async (id) => agent(id, { template: 'fixer' }),
        stop: async (id) => (calls.push(`stop ${id}`), agent(id, { template: 'fixer', status: 'exited' })),
        merge: async (id) => (calls.push(`merge ${id}`), decision('dec_m', { agentId: id, title: 'Merge mc/a into main?' })),
      },
      tasks: { list: async () => [] },
      decisions: { list: async () => [] },
      actors: { list: async () => [] },
      projects: { list: async () => [] },
    });
    const m = new Mission({ hub, streamUrl: (after) => `/events?after=${after}`, openSource: (url) => (sources.push(new FakeSource(url)), sources.at(-1)!), timers: new ManualTimers(), batchMs: 0 });
    return { mission: m, sources };
  }

  test("feeds the page's terminal from the app's one stream", async () => {
    const log = range(1, 5).map((s) => output(s));
    const { mission: m, sources } = mission(log);
    await m.start();
    sources[0]!.open();
    const out = new AgentOutput({ agentId: 'agt_a', read: (q) => m.readLog(q) });
    const stop = followNewEvents(m.state, (events) => out.received(events));
    await out.loadNewest();
    sources[0]!.send(output(6, `${ESC}[35mlive`));
    await m.connection.settled();
    assert.deepEqual(seqs(out.state.value.window), range(1, 6));
    assert.equal(out.state.value.window.lines.at(-1)!.spans[0]!.fg, 35);
    assert.equal(sources.length, 1, 'no second stream');
    stop();
  });

  test('stops an agent and asks its merge, and the views take the answers', async () => {
    const calls: string[] = [];
    const { mission: m } = mission([], calls);
    await m.start();
    await m.stopAgent('agt_a');
    assert.equal(m.state.value.agents.get('agt_a')?.status, 'exited');
    const asked = await m.merge('agt_a');
    assert.equal(asked.id, 'dec_m');
    assert.equal(m.state.value.decisions.get('dec_m')?.title, 'Merge mc/a into main?');
    assert.deepEqual(calls, ['stop agt_a', 'merge agt_a']);
  });
});

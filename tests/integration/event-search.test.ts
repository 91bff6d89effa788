// Full-text search over the log: `GET /events?q=` finds events by the words of their data
// through the GIN index, with the filters, both orders and `next` as without it; bad input is a
// 400 naming `q`; a token scoped to a project finds only its project's events.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { EventEnvelope } from '../../server/client/views.ts';
import { pageQuery } from '../../server/log/read-after.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { bearer } from '../helpers/hub.ts';
import { assertProblem, send } from '../helpers/problem.ts';

const suite = hubSuite({ projects: { shop: {}, docs: {} } });
const fillers = 10_000;

const page = async (query: string, headers = suite.hub.auth) => {
  const res = await suite.hub.get(`/events?${query}`, headers);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as { events: EventEnvelope[]; next: number; head: number };
};
const search = (q: string, more = '') => page(`q=${encodeURIComponent(q)}${more}`);
const append = async (events: Array<Record<string, unknown>>) => {
  const res = await suite.hub.post('/events', { events });
  assert.equal(res.status, 201, JSON.stringify(res.body));
};
const notes = (events: EventEnvelope[]) => events.map((e) => e.data.note);

let oldestSeq: number;

before(async () => {
  await suite.ready();
  await append([{ type: 'x.search.note', data: { note: 'the zyzzyva incident began here', host: 'db-7' } }]);
  oldestSeq = (await page('order=desc&limit=1')).events[0]!.seq;
  for (let batch = 0; batch < fillers / 1000; batch++) {
    await append(Array.from({ length: 1000 }, (_, i) => ({ type: 'x.search.filler', data: { line: `routine step ${batch * 1000 + i} ok`, n: i } })));
  }
});

describe('GET /events?q=', () => {
  test('finds the one event of 10,001 with a word, through newest-first paging from the head', async () => {
    const found = await search('zyzzyva', '&order=desc');
    assert.deepEqual(found.events.map((e) => e.seq), [oldestSeq]);
    assert.equal(found.next, oldestSeq, 'next is the oldest seq of the page, as without q');
    assert.ok(found.head >= oldestSeq + fillers);
    assert.deepEqual((await search('zyzzyva', `&before=${oldestSeq}`)).events, [], 'nothing older matches');
    assert.deepEqual((await search('ZYZZYVA', '&after=0')).events.map((e) => e.seq), [oldestSeq], 'oldest first too, and case is ignored');
    const listed = [];
    for await (const event of suite.hub.client.events.list({ q: 'zyzzyva', order: 'desc' })) listed.push(event.seq);
    assert.deepEqual(listed, [oldestSeq], "the client's list pages through the matches");
  });

  test('next pages on through the matches, newest first', async () => {
    const first = await search('routine', '&order=desc&limit=100');
    assert.equal(first.events.length, 100);
    const second = await search('routine', `&before=${first.next}&limit=100`);
    assert.equal(second.events.length, 100);
    assert.ok(second.events.every((e) => e.seq < first.next && e.type === 'x.search.filler'));
    assert.equal(second.events[0]!.data.line, `routine step ${fillers - 101} ok`);
  });

  test('combines with types and agent', async () => {
    await append([
      { type: 'x.search.alpha', agentId: 'agt_search_a', data: { note: 'a wombat in the alpha stream' } },
      { type: 'x.search.beta', agentId: 'agt_search_a', data: { note: 'a wombat in the beta stream' } },
      { type: 'x.search.alpha', agentId: 'agt_search_b', data: { note: "another agent's wombat" } },
    ]);
    assert.equal((await search('wombat')).events.length, 3);
    assert.deepEqual(notes((await search('wombat', '&types=x.search.alpha')).events), ['a wombat in the alpha stream', "another agent's wombat"]);
    assert.deepEqual(notes((await search('wombat', '&types=x.search.*&agent=agt_search_a&order=desc')).events), ['a wombat in the beta stream', 'a wombat in the alpha stream']);
    assert.deepEqual(notes((await search('wombat', '&types=x.search.beta&agent=agt_search_b')).events), []);
  });

  test('a "quoted phrase" keeps its words in order; -word excludes; ids and paths are found as written', async () => {
    await append([
      { type: 'x.search.shell', data: { note: 'npm run build failed in /srv/app/src/main.ts', command: 'npm run build' } },
      { type: 'x.search.shell', data: { note: 'build, then npm run lint', command: 'npm run lint' } },
      { type: 'x.search.shell', data: { note: 'deploy to staging', ref: 'evt_Q7x-9z' } },
      { type: 'x.search.shell', data: { note: 'deploy to production' } },
    ]);
    assert.equal((await search('npm build')).events.length, 2, 'all the words, anywhere');
    assert.deepEqual(notes((await search('"npm run build"')).events), ['npm run build failed in /srv/app/src/main.ts']);
    assert.deepEqual(notes((await search('deploy -production')).events), ['deploy to staging']);
    assert.deepEqual(notes((await search('/srv/app/src/main.ts')).events), ['npm run build failed in /srv/app/src/main.ts']);
    assert.deepEqual(notes((await search('evt_Q7x-9z')).events), ['deploy to staging']);
    assert.deepEqual(notes((await search('staging or production', '&order=desc')).events), ['deploy to production', 'deploy to staging']);
  });

  test("a token scoped to a project finds only its project's events", async () => {
    const shopTask = (await suite.hub.post('/tasks', { title: 'shop work', projectId: 'shop' })).body.id as string;
    const docsTask = (await suite.hub.post('/tasks', { title: 'docs work', projectId: 'docs' })).body.id as string;
    await append([
      { type: 'x.search.scoped', taskId: shopTask, data: { note: 'narwhal in the shop' } },
      { type: 'x.search.scoped', taskId: docsTask, data: { note: 'narwhal in the docs' } },
    ]);
    const minted = await suite.hub.post('/tokens', { role: 'viewer', projectId: 'shop' }, bearer(suite.hub.adminToken));
    const shop = bearer(minted.body.token as string);
    assert.deepEqual(notes((await page('q=narwhal', shop)).events), ['narwhal in the shop']);
    assert.deepEqual(notes((await page('q=narwhal&order=desc', shop)).events), ['narwhal in the shop']);
    assertProblem(await send(`${suite.hub.url}/events?q=narwhal&project=docs`, { headers: shop }), 403, 'forbidden', /sees only that project/);
    assert.deepEqual(notes((await search('narwhal', '&project=docs')).events), ['narwhal in the docs'], 'an unscoped token narrows with project');
  });

  test('bad input is a 400 that names q', async () => {
    const get = (query: string, accept = 'application/json') => send(`${suite.hub.url}/events?${query}`, { headers: { ...suite.hub.auth, accept } });
    const cases: Array<[string, string, RegExp]> = [
      ['empty', 'q=', /^\?q must be 1 to 200 characters/],
      ['only spaces', 'q=%20%20', /^\?q must be 1 to 200 characters/],
      ['over 200 characters', `q=${'a'.repeat(201)}`, /^\?q must be 1 to 200 characters .*got 201/],
      ['a control character', 'q=a%00b', /^\?q must not hold control characters/],
      ['no letter or digit', `q=${encodeURIComponent('"-" !!!')}`, /^\?q has no word to look for/],
    ];
    for (const [what, query, detail] of cases) {
      const res = await get(query);
      assertProblem(res, 400, 'validation_failed', detail);
      assert.equal(res.body.errors[0].path, '?q', what);
    }
    assert.equal((await get(`q=${'a'.repeat(200)}`)).status, 200, '200 characters are fine');
    const streamed = await get('q=zyzzyva&after=0', 'text/event-stream');
    assertProblem(streamed, 400, 'validation_failed', /^\?q searches JSON pages only/);
    assert.equal(streamed.body.errors[0].path, '?q');
  });

  test('the search reads the GIN index (a Bitmap Index Scan on events_search), not the table', async () => {
    await sql`ANALYZE events`.execute(suite.hub.db);
    const query = pageQuery({ before: Number.MAX_SAFE_INTEGER }, { limit: 100, maxBytes: 4 * 1024 * 1024 }, { types: [], typePrefixes: [], search: 'zyzzyva' });
    const { rows } = await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (FORMAT JSON) ${query}`.execute(suite.hub.db);
    const nodes: Array<Record<string, unknown>> = [];
    const walk = (node: Record<string, unknown>) => {
      nodes.push(node);
      for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
    };
    walk((rows[0]!['QUERY PLAN'] as Array<{ Plan: Record<string, unknown> }>)[0]!.Plan);
    const scans = nodes.filter((n) => n['Node Type'] === 'Bitmap Index Scan').map((n) => n['Index Name']);
    assert.ok(scans.includes('events_search'), JSON.stringify(nodes.map((n) => [n['Node Type'], n['Index Name']])));
    assert.ok(!nodes.some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'events'), 'no scan of the log');
  });
});

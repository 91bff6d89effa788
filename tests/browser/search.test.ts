// In a real Chromium: the feed searches the whole log on the hub and scrolls back past the
// events it holds in memory; the brief view shows what failed and what waits.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ensureDashboard } from '../../server/dashboard/build.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { ask, bearer, resolve } from '../helpers/decisions.ts';
import { type TestHub, testHub } from '../helpers/hub.ts';
import { type Dashboard, OpenDashboards, eventually, feedSeqs, goTo, launchChromium, noChromium } from './chromium.ts';

let database: TestDatabase;
let hub: TestHub;
let browser: Browser;
let dashboard: Dashboard;
const dashboards = new OpenDashboards();
/** The one word only the oldest seeded event holds. */
const word = 'quokkaoldest';
let oldestSeq = 0;

before(async () => {
  if (noChromium) return;
  await ensureDashboard(() => undefined);
  database = await testDatabase();
  hub = await testHub(database.url);
  for (let batch = 0; batch < 10; batch++) {
    const events = Array.from({ length: 1000 }, (_, n) => ({ type: 'x.search.seeded', data: { note: batch === 0 && n === 0 ? `the ${word} of all` : `seeded ${batch * 1000 + n}` } }));
    const res = await hub.post('/events', { events });
    assert.equal(res.status, 201, JSON.stringify(res.body).slice(0, 500));
    if (batch === 0) oldestSeq = res.body.events[0].seq;
  }
  browser = await launchChromium();
  dashboard = await dashboards.open(browser, hub.url, await hub.mint('operator'));
  await goTo(dashboard.page, 'feed');
  await dashboard.page.locator('[data-testid="feed-row"][aria-label$="x.search.seeded"]').first().waitFor();
});
after(async () => {
  await dashboards.close();
  await browser?.close();
  await hub?.close();
  await database?.drop();
});

const countText = () => dashboard.page.getByTestId('feed-count').innerText();

describe('searching the feed', () => {
  test('a search finds the oldest event, far past the events in memory, and clearing returns to the live feed', { skip: noChromium }, async () => {
    const { page } = dashboard;
    await page.getByTestId('feed-search').fill(word);
    await page.getByTestId('feed-search').press('Enter');
    await page.getByTestId('feed-count').filter({ hasText: '1 found' }).waitFor();
    const seqs = await feedSeqs(page);
    assert.equal(seqs.length, 1);
    assert.equal(seqs[0], oldestSeq);
    assert.match(await page.getByTestId('feed-row').innerText(), /x\.search\.seeded/);
    await page.getByTestId('feed-search-clear').click();
    await page.getByTestId('feed-count').filter({ hasText: 'events' }).waitFor();
    assert.ok((await feedSeqs(page)).length > 1);
  });

  test("a search the hub refuses shows the hub's reason", { skip: noChromium }, async () => {
    const { page } = dashboard;
    await page.getByTestId('feed-search').fill('!!!');
    await page.getByTestId('feed-search').press('Enter');
    assert.match(await page.getByTestId('feed-search-error').innerText(), /has no word to look for/);
    await page.getByTestId('feed-search-clear').click();
    await page.getByTestId('feed-search-error').waitFor({ state: 'detached' });
  });
});

describe('scrolling back', () => {
  test('"Load older events" pages back beyond the 1,000 events in memory', { skip: noChromium }, async () => {
    const { page } = dashboard;
    const held = Number((await countText()).match(/^(\d+)/)?.[1]);
    const head = (await hub.get('/events?order=desc&limit=1')).body.events[0].seq as number;
    assert.equal(held, 1000);
    await page.getByTestId('feed-load-older').click();
    await page.getByTestId('feed-count').filter({ hasText: `${held + 200} events` }).waitFor();
    // The rows read stay above the view; a few rows below the top (not at it, which reads more) shows them.
    await page.getByTestId('feed-list').evaluate((list) => (list.scrollTop = 150));
    const oldest = await eventually('rows older than the memory in view', async () => {
      const shown = Math.min(...(await feedSeqs(page)));
      return shown <= head - held ? shown : undefined;
    });
    assert.ok(oldest > head - held - 200, `row ${oldest} shown`);
    const seqs = await feedSeqs(page);
    // Rows stay windowed: a few dozen in the DOM, however many are held.
    assert.ok(seqs.length < 100, `${seqs.length} rows in the DOM`);
    assert.deepEqual(dashboard.pageErrors, []);
  });

  test('scrolling to the oldest end reads further back, and the rows shown stay in place', { skip: noChromium }, async () => {
    const { page } = dashboard;
    const held = Number((await countText()).match(/^(\d+)/)?.[1]);
    await page.getByTestId('feed-list').evaluate((list) => (list.scrollTop = 0));
    await page.getByTestId('feed-count').filter({ hasText: `${held + 200} events` }).waitFor();
    const top = await page.getByTestId('feed-list').evaluate((list) => list.scrollTop);
    assert.ok(top >= 200 * 30 - 30, `the view kept its rows: scrolled to ${top}`);
  });
});

describe('the brief view', () => {
  test('shows a failure and a pending decision, each linked', { skip: noChromium }, async () => {
    const agentId = 'agt_brief_failing';
    const agent = bearer(await hub.mint('agent', agentId));
    assert.equal((await hub.post(`/agents/${agentId}/heartbeat`, { name: 'brief walker' }, agent)).status, 200);
    assert.equal((await hub.post('/events', { type: 'agent.failed', data: { code: 1, error: 'the brief failure' } }, agent)).status, 201);
    const decision = await ask(hub, { title: 'Ship the brief?', risk: 'high' }, agent);
    const dora = await hub.post('/tokens', { role: 'operator', name: 'dora' }, bearer(hub.adminToken));
    const answered = await ask(hub, { title: 'Rotate the keys?', risk: 'high' }, agent);
    assert.equal((await resolve(hub, answered.id, 'approve', bearer(dora.body.token))).status, 200);
    const blocked = await hub.post('/tasks', { title: 'Walk the brief', agentId }, hub.auth);
    assert.equal((await hub.post(`/tasks/${blocked.body.id}/transition`, { to: 'blocked', reason: 'no road' }, hub.auth)).status, 200);
    const { page } = dashboard;
    await page.getByTestId('nav-brief').click();
    await page.getByTestId('view-brief').waitFor();
    await page.getByTestId('brief-failed').filter({ hasText: 'the brief failure' }).waitFor();
    assert.equal(await page.getByTestId('brief-failed').getByTestId('brief-agent-link').first().getAttribute('href'), `#/agents/${agentId}`);
    const link = page.getByTestId('brief-waiting').getByTestId('brief-decision-link');
    assert.equal(await link.innerText(), 'Ship the brief?');
    assert.equal(await link.getAttribute('href'), `#/inbox/${decision.id}`);
    const waitingOn = page.getByTestId('brief-waiting').locator('li').filter({ hasText: 'Walk the brief' }).getByTestId('brief-agent-link');
    assert.equal(await waitingOn.innerText(), 'brief walker', "a blocked task's agent by name");
    const decided = page.getByTestId('brief-decided').locator('li').filter({ hasText: 'Rotate the keys?' });
    assert.equal(await decided.getByTestId('brief-decided-by').innerText(), 'dora', 'who answered, by name, not operator:tok_…');
    assert.deepEqual(dashboard.pageErrors, []);
  });
});

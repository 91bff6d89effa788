// In a real Chromium: an operator of a hub with several projects switches the dashboard to one,
// and every view (tasks, inbox, feed) and the live stream show only that project; the choice
// outlives a reload. A token scoped to one project sees its name and no switcher, and no pause-all.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { bearer } from '../helpers/decisions.ts';
import { browserSuite, eventsOf, eventually, feedSeqs, goTo, noChromium } from './chromium.ts';

const suite = browserSuite({ projects: { shop: { description: 'the web shop' }, docs: {} } });
const ids: Record<string, string> = {};

async function created(path: string, body: Record<string, unknown>): Promise<string> {
  const res = await suite.hub.post(path, body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

before(async () => {
  if (noChromium) return;
  await suite.ready();
  ids.shopTask = await created('/tasks', { title: 'Fix the cart', projectId: 'shop' });
  ids.docsTask = await created('/tasks', { title: 'Write the guide', projectId: 'docs' });
  ids.defaultTask = await created('/tasks', { title: 'Tidy up' });
  ids.shopDecision = await created('/decisions', { title: 'Refund order 42?', risk: 'high', projectId: 'shop' });
  ids.docsDecision = await created('/decisions', { title: 'Publish the guide?', risk: 'high', projectId: 'docs' });
});

const open = async (token: string): Promise<Page> => (await suite.dashboards.open(suite.browser, suite.hub.url, token)).page;

const cardIds = (page: Page, testid: string, attribute: string) =>
  page.getByTestId(testid).evaluateAll((cards, name) => cards.map((card) => card.getAttribute(name)!).sort(), attribute);

/** Waits until the cards of `testid` are exactly `expected` (by their id attribute). */
async function showsExactly(page: Page, testid: string, attribute: string, expected: string[]): Promise<void> {
  await eventually(`${testid} to be ${expected.join(', ')}`, async () => {
    const shown = await cardIds(page, testid, attribute);
    return JSON.stringify(shown) === JSON.stringify([...expected].sort()) ? true : undefined;
  });
}

describe('one project at a time', { skip: noChromium }, () => {
  test('the switcher narrows the tasks, the inbox and the feed to one project, live too, and the choice outlives a reload', async () => {
    const page = await open(await suite.hub.mint('operator'));
    const switcher = page.getByTestId('project-switcher');
    assert.deepEqual(await switcher.locator('option').allInnerTexts(), ['All projects', 'default', 'shop', 'docs']);
    assert.equal(await switcher.inputValue(), '', 'every project at first');
    await goTo(page, 'tasks');
    await showsExactly(page, 'task-card', 'data-task-id', [ids.shopTask!, ids.docsTask!, ids.defaultTask!]);

    await switcher.selectOption('shop');
    await showsExactly(page, 'task-card', 'data-task-id', [ids.shopTask!]);
    await goTo(page, 'inbox');
    await showsExactly(page, 'decision-card', 'data-decision-id', [ids.shopDecision!]);

    // Live: a question of docs stays out, one of shop comes in.
    const docsLive = await created('/decisions', { title: 'Rename the guide?', risk: 'high', projectId: 'docs' });
    const shopLive = await created('/decisions', { title: 'Ship the fix?', risk: 'high', projectId: 'shop' });
    await showsExactly(page, 'decision-card', 'data-decision-id', [ids.shopDecision!, shopLive]);
    assert.ok(!(await cardIds(page, 'decision-card', 'data-decision-id')).includes(docsLive));

    // The feed holds the shop events of the log, and no other.
    await goTo(page, 'feed');
    const shopSeqs = (await eventsOf(suite.hub.url, suite.hub.auth, { project: 'shop' })).map((e) => e.seq);
    await eventually('the feed to hold the shop events', async () => (JSON.stringify(await feedSeqs(page)) === JSON.stringify(shopSeqs) ? true : undefined));

    await page.reload();
    await page.getByTestId('app-shell').waitFor();
    await eventually('the switcher to say shop after a reload', async () => ((await page.getByTestId('project-switcher').inputValue()) === 'shop' ? true : undefined));
    await goTo(page, 'tasks');
    await showsExactly(page, 'task-card', 'data-task-id', [ids.shopTask!]);

    await page.getByTestId('project-switcher').selectOption('');
    await showsExactly(page, 'task-card', 'data-task-id', [ids.shopTask!, ids.docsTask!, ids.defaultTask!]);
  });

  test('a token scoped to one project sees its name instead of a switcher, only its things, and no pause-all', async () => {
    const minted = await suite.hub.post('/tokens', { role: 'operator', projectId: 'docs', name: 'dora' }, bearer(suite.hub.adminToken));
    assert.equal(minted.status, 201, JSON.stringify(minted.body));
    const page = await open(minted.body.token as string);
    assert.equal(await page.getByTestId('project-scope').innerText(), 'docs');
    assert.equal(await page.getByTestId('project-switcher').count(), 0);
    assert.equal(await page.getByTestId('pause-all').count(), 0, 'pause-all spans projects: a docs token cannot use it');
    await goTo(page, 'tasks');
    await showsExactly(page, 'task-card', 'data-task-id', [ids.docsTask!]);
    await goTo(page, 'inbox');
    const cards = await eventually('the docs decisions', async () => {
      const shown = await cardIds(page, 'decision-card', 'data-decision-id');
      return shown.includes(ids.docsDecision!) ? shown : undefined;
    });
    assert.ok(!cards.includes(ids.shopDecision!), JSON.stringify(cards));
  });

  test('no page threw', () => {
    assert.deepEqual(suite.dashboards.opened.flatMap((d) => d.pageErrors), []);
  });
});

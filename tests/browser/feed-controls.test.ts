// In a real Chromium: the live feed used from the keyboard, and its pause of the scrolling.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator } from 'playwright-core';
import { ensureDashboard } from '../../server/dashboard/build.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { type TestHub, testHub } from '../helpers/hub.ts';
import { type Dashboard, eventually, goTo, launchChromium, noChromium, openDashboard } from './chromium.ts';

let database: TestDatabase;
let hub: TestHub;
let browser: Browser;
let dashboard: Dashboard;
/** More rows than the feed shows at once, so that it scrolls. */
const seeded = 80;

before(async () => {
  if (noChromium) return;
  await ensureDashboard(() => undefined);
  database = await testDatabase();
  hub = await testHub(database.url);
  const events = Array.from({ length: seeded }, (_, n) => ({ type: 'x.feed.seeded', data: { n } }));
  assert.equal((await hub.post('/events', { events })).status, 201);
  browser = await launchChromium();
  dashboard = await openDashboard(browser, hub.url, await hub.mint('operator'));
  await goTo(dashboard.page, 'feed');
  await dashboard.page.locator(`[data-testid="feed-row"][aria-label$="x.feed.seeded"]`).first().waitFor();
});
after(async () => {
  await dashboard?.close();
  await browser?.close();
  await hub?.close();
  await database?.drop();
});

const focused = (row: Locator) => row.evaluate((el) => el.matches(':focus'));
const row = (seq: number) => dashboard.page.locator(`[data-testid="feed-row"][data-seq="${seq}"]`);
/** How far the list is from its end, in pixels. */
const distanceFromEnd = () => dashboard.page.getByTestId('feed-list').evaluate((list) => list.scrollHeight - list.clientHeight - list.scrollTop);

describe('the feed from the keyboard', { skip: noChromium }, () => {
  test('arrow keys move between rows, Enter opens the event, Escape closes it and gives the row its focus back', async () => {
    const { page } = dashboard;
    const seqs = await page.getByTestId('feed-row').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.seq)));
    const [first, second] = seqs.slice(-2);
    await row(first!).focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(row(second!)), true, 'ArrowDown focuses the next row');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(row(first!)), true, 'ArrowUp focuses the row above');
    await page.keyboard.press('Enter');
    assert.match(await page.getByTestId('event-details-json').innerText(), new RegExp(`"seq": ${first}\\b`));
    await page.keyboard.press('Escape');
    await page.getByTestId('event-details').waitFor({ state: 'detached' });
    await eventually('the row to have the focus again', async () => ((await focused(row(first!))) ? true : undefined));
    assert.deepEqual(dashboard.pageErrors, []);
  });
});

describe('pausing the feed\'s scrolling', { skip: noChromium }, () => {
  test('while paused, new events are counted but the list stays where it is; resuming scrolls to the newest', async () => {
    const { page } = dashboard;
    const toggle = page.getByTestId('feed-pause-toggle');
    await eventually('the feed to follow the newest event', async () => ((await distanceFromEnd()) <= 1 ? true : undefined));
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    const posted = await hub.post('/events', { type: 'x.feed.while_paused', data: {} });
    assert.equal(posted.status, 201);
    // The fence: the feed has taken the new event in, and still has not moved to it.
    await page.getByTestId('feed-count').filter({ hasText: `${seeded + 1} events` }).waitFor();
    assert.ok((await distanceFromEnd()) > 1, 'the paused list did not follow the new event');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await row(posted.body.seq).waitFor();
    await eventually('the list to reach the newest event', async () => ((await distanceFromEnd()) <= 1 ? true : undefined));
    assert.deepEqual(dashboard.pageErrors, []);
  });
});

// In a real Chromium: the dashboard tells a person that decisions wait, wherever they are in it.
// The count rides on the Inbox link, the tab title and the favicon, for any role; with
// notifications allowed, a decision asked afterwards at or above the chosen risk is announced once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { bearer } from '../helpers/decisions.ts';
import { type OpenOptions, browserSuite, eventually, goTo, noChromium } from './chromium.ts';

const suite = browserSuite();
/** Bearer headers of an operator named ann, who asks the decisions. */
let ann: Record<string, string> | undefined;

/** Opens the dashboard signed in as a new token of `role`. */
async function open(role: 'operator' | 'viewer', options: OpenOptions = {}): Promise<Page> {
  return (await suite.dashboards.open(suite.browser, suite.hub.url, await suite.hub.mint(role), options)).page;
}

// Records every notification the page makes (and keeps it, so a test can click it), then lets
// Chromium make it as usual.
const recordNotifications = `
  window.__notified = [];
  window.__notifications = [];
  const Shown = window.Notification;
  window.Notification = class extends Shown {
    constructor(title, options = {}) {
      window.__notified.push({ title, body: options.body, tag: options.tag });
      super(title, options);
      window.__notifications.push(this);
    }
  };
`;

interface Notified {
  title: string;
  body: string;
  tag: string;
}

const notified = (page: Page) => page.evaluate(() => (window as unknown as { __notified: Notified[] }).__notified);

async function ask(title: string, risk: string): Promise<string> {
  if (!ann) {
    const minted = await suite.hub.post('/tokens', { role: 'operator', name: 'ann' }, bearer(suite.hub.adminToken));
    assert.equal(minted.status, 201, JSON.stringify(minted.body));
    ann = bearer(minted.body.token as string);
  }
  const res = await suite.hub.post('/decisions', { title, risk }, ann);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

/** How many decisions wait now, as the hub says: each test starts from what the ones before it left. */
async function waitingNow(): Promise<number> {
  return ((await suite.hub.get('/decisions?status=pending')).body.decisions as unknown[]).length;
}

async function approve(id: string): Promise<void> {
  const res = await suite.hub.post(`/decisions/${id}/resolve`, { outcome: 'approve' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** What the page says about the decisions waiting: the Inbox link's count ('' when hidden), the title, the favicon's number. */
async function shownCount(page: Page): Promise<{ badge: string; title: string; favicon: string }> {
  const badge = page.getByTestId('nav-inbox-count');
  const icon = await page.evaluate(() => decodeURIComponent(document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? ''));
  return {
    // Read without waiting: the badge may go between a count and a read (innerText would then wait 15 s for it).
    badge: (await badge.allInnerTexts())[0] ?? '',
    title: await page.title(),
    favicon: /<text[^>]*>([^<]*)<\/text>/.exec(icon)?.[1] ?? '',
  };
}

/** Waits until the page shows `count` decisions waiting, everywhere it shows it. */
async function showsCount(page: Page, count: number): Promise<void> {
  const expected = count === 0 ? { badge: '', title: 'Mission Control', favicon: '' } : { badge: String(count), title: `(${count}) Mission Control`, favicon: String(count) };
  let last: unknown;
  try {
    await eventually(`${count} decisions waiting`, async () => {
      last = await shownCount(page);
      return JSON.stringify(last) === JSON.stringify(expected) ? true : undefined;
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}; the page showed ${JSON.stringify(last)}`);
  }
}

describe('telling a person that decisions wait', { skip: noChromium }, () => {
  test('a viewer sees the count rise and fall on the Inbox link, in the tab title and in the favicon', async () => {
    const page = await open('viewer');
    await showsCount(page, 0);
    const first = await ask('Deploy to production?', 'high');
    await showsCount(page, 1);
    const second = await ask('Rotate the API keys?', 'medium');
    await showsCount(page, 2);
    await approve(first);
    await showsCount(page, 1);
    await approve(second);
    await showsCount(page, 0);
  });

  test('at phone width the count rides on the folded menu', async () => {
    const page = await open('operator', { viewport: { width: 390, height: 844 } });
    const id = await ask('Merge the release branch?', 'high');
    await page.getByTestId('nav-toggle-count').waitFor();
    assert.equal(await page.getByTestId('nav-toggle-count').innerText(), '1');
    await page.getByTestId('nav-toggle').click();
    assert.equal(await page.getByTestId('nav-inbox-count').innerText(), '1');
    await goTo(page, 'inbox');
    await page.getByTestId('alerts-min-risk').waitFor();
    await approve(id);
    await showsCount(page, 0);
  });

  test('once allowed, a new decision at or above the chosen risk is announced once; one below it, or pending before the page loaded, is not', async () => {
    const before = await ask('Asked before the page loaded', 'high');
    const waiting = await waitingNow();
    const page = await open('operator', { permissions: ['notifications'], initScript: recordNotifications });
    await goTo(page, 'inbox');
    const notify = page.getByTestId('alerts-notify');
    assert.equal(await notify.getAttribute('aria-pressed'), 'false', 'off until the operator asks');
    assert.equal(await page.getByTestId('alerts-min-risk').inputValue(), 'high');
    assert.equal(await page.getByTestId('alerts-sound').isChecked(), false);
    await notify.click();
    await page.locator('[data-testid="alerts-notify"][aria-pressed="true"]').waitFor();

    await ask('Rename a column?', 'medium');
    const high = await ask('Drop the old index?', 'high');
    await showsCount(page, waiting + 2);
    assert.deepEqual(await notified(page), [{ title: 'Drop the old index?', body: 'high risk · asked by ann', tag: high }]);

    // Clicking it leads to the decision in the inbox, from any view.
    await goTo(page, 'feed');
    await page.evaluate(() => (window as unknown as { __notifications: Notification[] }).__notifications[0]!.dispatchEvent(new Event('click')));
    await page.locator(`[data-testid="decision-card"][data-decision-id="${high}"]`).waitFor();
    assert.equal(new URL(page.url()).hash, `#/inbox/${high}`);

    // The choice outlives a reload; what waits at the reload is not announced again.
    await page.reload();
    await page.getByTestId('app-shell').waitFor();
    await page.locator('[data-testid="alerts-notify"][aria-pressed="true"]').waitFor();
    await page.getByTestId('alerts-min-risk').selectOption('medium');
    await showsCount(page, waiting + 2);
    const medium = await ask('Bump a dependency?', 'medium');
    await showsCount(page, waiting + 3);
    assert.deepEqual(await notified(page), [{ title: 'Bump a dependency?', body: 'medium risk · asked by ann', tag: medium }]);
    assert.ok(!(await notified(page)).some((n) => n.tag === before));
  });

  test('no page threw', () => {
    assert.deepEqual(suite.dashboards.opened.flatMap((d) => d.pageErrors), []);
  });
});

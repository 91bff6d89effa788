// The browser tests drive Debian's Chromium (never a downloaded one) through playwright-core.
import { existsSync } from 'node:fs';
import { after, before } from 'node:test';
import { type Browser, type Page, chromium } from 'playwright-core';
import type { ConfigOverrides } from '../../server/config.ts';
import { ensureDashboard } from '../../server/dashboard/build.ts';
import { type HubSuite, hubSuite } from '../helpers/hub-suite.ts';
import { skipUnlessCi } from '../helpers/skip.ts';

export const chromiumPath = '/usr/bin/chromium';

/** Why the browser tests cannot run on this machine (node:test's `skip`), or false when they can; in CI a missing Chromium is an error. */
export const noChromium: string | false = skipUnlessCi(existsSync(chromiumPath) ? false : `no Chromium at ${chromiumPath} (Debian package chromium; .ci/run installs it)`);

/** Headless Chromium with nothing that talks to the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 60_000,
  });
}

export interface Dashboard {
  page: Page;
  /** Uncaught exceptions the page threw; a test ends by checking there are none. */
  pageErrors: string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A start-up route (`#/inbox`); the token is added after it. */
  route?: string;
  viewport?: { width: number; height: number };
  /** Browser permissions granted to the page from the start (`notifications`). */
  permissions?: string[];
  /** Source run in the page before its own, on every load (to record what it does with a browser API); a string, as tsx's helpers do not exist in the page. */
  initScript?: string;
}

/**
 * Opens the dashboard in a fresh context (its own sessionStorage) through the start-up URL
 * `<hub>/#token=...`, and resolves once it is signed in and its live stream is connected.
 */
export async function openDashboard(browser: Browser, hubUrl: string, token: string, options: OpenOptions = {}): Promise<Dashboard> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, permissions: options.permissions ?? [] });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  if (options.initScript) await page.addInitScript({ content: options.initScript });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
  const route = options.route ? `${options.route}&` : '#';
  await page.goto(`${hubUrl}/${route}token=${encodeURIComponent(token)}`);
  await page.getByTestId('app-shell').waitFor();
  await connectionState(page, 'connected', 30_000);
  return { page, pageErrors, close: () => context.close() };
}

/** Dashboards a test file opens one after another, each signed in with its own token, all closed at its end. */
export class OpenDashboards {
  readonly opened: Dashboard[] = [];

  async open(browser: Browser, hubUrl: string, token: string, options: OpenOptions = {}): Promise<Dashboard> {
    const dashboard = await openDashboard(browser, hubUrl, token, options);
    this.opened.push(dashboard);
    return dashboard;
  }

  async close(): Promise<void> {
    for (const dashboard of this.opened) await dashboard.close();
  }
}

export interface BrowserSuite extends HubSuite {
  readonly browser: Browser;
  /** The dashboards a test opens; all closed in `after`, before the hub. */
  readonly dashboards: OpenDashboards;
}

/**
 * For the calling test file: `hubSuite`'s hub, the dashboard built and Chromium, started in
 * `before`; in `after` the dashboards and the browser close before the hub does. A further
 * `before` hook that needs the hub or the browser starts with `await suite.ready()`.
 */
export function browserSuite(overrides: ConfigOverrides = {}): BrowserSuite {
  let browser: Browser | undefined;
  const dashboards = new OpenDashboards();
  // Registered before the hub's own `after`, and node runs them in that order.
  after(async () => {
    await dashboards.close();
    await browser?.close();
  });
  const hubs = hubSuite(overrides);
  let starting: Promise<void> | undefined;
  const ready = () =>
    (starting ??= (async () => {
      await ensureDashboard(() => undefined);
      await hubs.ready();
      browser = await launchChromium();
    })());
  before(() => (noChromium ? undefined : ready()));
  return {
    get hub() {
      return hubs.hub;
    },
    get database() {
      return hubs.database;
    },
    get browser() {
      if (!browser) throw new Error('browserSuite: the browser is started in a before hook, so read it inside a test or hook');
      return browser;
    },
    dashboards,
    ready,
  };
}

/** Waits until the header's `connection-state` says `state` (or, with `not`, says anything else). */
export async function connectionState(page: Page, state: string, timeout = 15_000, not = false): Promise<void> {
  const selector = not ? `[data-testid="connection-state"]:not([data-state="${state}"])` : `[data-testid="connection-state"][data-state="${state}"]`;
  await page.locator(selector).waitFor({ timeout });
}

/** Opens a view through the nav and waits for its `<main>`. */
export async function goTo(page: Page, view: 'overview' | 'feed' | 'agents' | 'tasks' | 'inbox' | 'healer'): Promise<void> {
  await page.getByTestId(`nav-${view}`).click();
  await page.getByTestId(`view-${view}`).waitFor();
}

/** The `data-seq` of every rendered feed row, top to bottom. */
export function feedSeqs(page: Page): Promise<number[]> {
  return page.getByTestId('feed-row').evaluateAll((rows) => rows.map((row) => Number((row as HTMLElement).dataset.seq)));
}

/** Polls `probe` every 50 ms until it returns something other than undefined; fails after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; await new Promise((r) => setTimeout(r, 50))) {
    const found = await probe();
    if (found !== undefined) return found;
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface LoggedEvent {
  id: string;
  seq: number;
  type: string;
  agentId?: string;
  decisionId?: string;
  data: Record<string, unknown>;
}

/** The whole log (or the part `query` selects: `types`, `agent`...), read as JSON pages, oldest first. */
export async function eventsOf(hubUrl: string, headers: Record<string, string>, query: Record<string, string> = {}): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for (let after = 0; ; ) {
    const res = await fetch(`${hubUrl}/events?${new URLSearchParams({ ...query, after: String(after), limit: '1000' })}`, { headers: { accept: 'application/json', ...headers } });
    if (res.status !== 200) throw new Error(`GET /events answered ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as { events: LoggedEvent[]; next: number };
    if (page.events.length === 0) return events;
    events.push(...page.events);
    after = page.next;
  }
}

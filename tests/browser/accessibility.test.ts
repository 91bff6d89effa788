// In a real Chromium: every view of a seeded fleet passes axe-core (the engine behind
// Lighthouse's accessibility audit) for WCAG 2 A and AA (names, labels, roles, contrast), and Tab
// from the top of the page reaches the nav and then the view's first control, each with a focus
// ring. axe is injected through the DevTools protocol (`page.evaluate`), which the page's CSP
// (`default-src 'self'`) does not govern, and it reads the open shadow roots.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { newEvent } from '../../server/log/new-event.ts';
import { registeredAgent } from '../helpers/agents.ts';
import { ask } from '../helpers/decisions.ts';
import { healerCallback } from '../helpers/healer-callback.ts';
import { type Dashboard, browserSuite, noChromium } from './chromium.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const suite = browserSuite({ agents: { staleAfterMs: 3_600_000 } });
let dashboard: Dashboard;
let taskId: string;

function ok(res: { status: number; body: any }, status = 201): any {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

/** A small fleet with something in every state a view can show: running, paused, failed, stale, waiting; failures, denials, heals. */
async function seedFleet(): Promise<void> {
  const worker = await registeredAgent(suite.hub, 'agt_worker', { name: 'worker · test shard 1' });
  ok(await suite.hub.post('/events', { type: 'run.started', data: { model: 'claude-sonnet-4', estimatedCostUsd: 0.4 } }, worker));
  ok(await suite.hub.post('/events', { type: 'run.completed', data: { model: 'claude-sonnet-4', tokensIn: 36_000, tokensOut: 4_800, costUsd: 0.4 } }, worker));
  ok(await suite.hub.post('/events', { type: 'agent.output', data: { stream: 'stdout', line: 'running the checkout tests' } }, worker));
  const billing = await registeredAgent(suite.hub, 'agt_billing', { name: 'claude · billing schema v7' });
  await ask(suite.hub, { title: 'Apply migration 0042_billing_v7 to production?', risk: 'high' }, billing);
  await registeredAgent(suite.hub, 'agt_paused', { name: 'claude · flaky checkout test' });
  ok(await suite.hub.post('/agents/agt_paused/pause', { reason: 'operator' }), 200);
  const importer = await registeredAgent(suite.hub, 'agt_import', { name: 'nightly-import' });
  const failed = ok(await suite.hub.post('/events', { type: 'agent.failed', data: { code: 2, error: 'database password rejected for user "importer"' } }, importer));
  await registeredAgent(suite.hub, 'agt_reindex', { name: 'search-reindex' });
  await suite.hub.appender.append([newEvent({ type: 'agent.stale', data: { lastSeenAt: new Date().toISOString() }, actor: 'hub', agentId: 'agt_reindex' })]);
  await healerCallback(suite.hub.url, 'heal.escalated', { failureEventId: failed.id, reason: 'no playbook matched "database password rejected"', attempts: 0 });
  await ask(suite.hub, { title: 'Regenerate the lockfile?', risk: 'medium' });
  await ask(suite.hub, { title: 'Drop the legacy_users table in production?', risk: 'red' });
  taskId = ok(await suite.hub.post('/tasks', { title: 'Fix the flaky checkout test', priority: 'high', labels: ['ci'], agentId: 'agt_worker' })).id;
  ok(await suite.hub.post('/tasks', { title: 'Write the release notes' }));
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

interface Audit {
  violations: Violation[];
  /** How many rules passed, and the checks axe could not decide by itself (contrast over an image, say), per rule. */
  passed: number;
  undecided: Record<string, string[]>;
}

/** Runs axe on the whole page, shadow roots included, for the WCAG 2 A/AA rules; the violations in short. */
async function audit(page: Page): Promise<Audit> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: any[]; passes: any[]; incomplete: any[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return {
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n: any) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`.slice(0, 400)) })),
      passed: result.passes.length,
      undecided: Object.fromEntries(result.incomplete.map((v) => [v.id, v.nodes.map((n: any) => `${JSON.stringify(n.target)}: ${(n.any[0]?.message ?? '').slice(0, 120)}`)])),
    };
  }, wcag);
}

const report = (violations: Violation[]) => violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.join('\n  ')}`).join('\n');

/** Opens a route and waits for its `<main>` and for what marks it loaded. */
async function open(page: Page, hash: string, view: string, ready: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.getByTestId(`view-${view}`).waitFor();
  await page.locator(ready).first().waitFor();
  // Lit renders in microtasks; let transitions of colour (none today) and late reads settle.
  await page.waitForTimeout(300);
}

before(async () => {
  if (noChromium) return;
  await suite.ready();
  await seedFleet();
  dashboard = await suite.dashboards.open(suite.browser, suite.hub.url, suite.hub.adminToken);
});

describe('accessibility', { skip: noChromium }, () => {
  test('axe really runs, shadow roots included: a broken fixture is a violation', async () => {
    const { page } = dashboard;
    await open(page, '#/overview', 'overview', '[data-testid="view-overview"]');
    await page.evaluate(() => {
      const host = document.createElement('div');
      host.id = 'broken-fixture';
      host.attachShadow({ mode: 'open' }).innerHTML = '<input type="text"><button></button><p class="faint">too faint to read</p>';
      const sheet = new CSSStyleSheet();
      sheet.replaceSync('.faint { color: #5a5f66; background: #3a3f46; }');
      host.shadowRoot!.adoptedStyleSheets = [sheet];
      document.body.append(host);
    });
    try {
      const ids = (await audit(page)).violations.map((v) => v.id);
      assert.ok(ids.includes('label'), `an unlabelled input is found: ${ids.join(', ')}`);
      assert.ok(ids.includes('button-name'), `a nameless button is found: ${ids.join(', ')}`);
      assert.ok(ids.includes('color-contrast'), `text too faint to read is found: ${ids.join(', ')}`);
    } finally {
      await page.evaluate(() => document.getElementById('broken-fixture')?.remove());
    }
  });

  const views: Array<[string, string, string, string]> = [
    ['the overview', '#/overview', 'overview', '[data-testid="overview-recent"]'],
    ['the feed', '#/feed', 'feed', '[data-testid="feed-row"]'],
    ['the agents', '#/agents', 'agents', '[data-testid="agent-row"]'],
    ['an agent page', '#/agents/agt_worker', 'agents', '[data-testid="agent-runs"]'],
    ['the tasks', '#/tasks', 'tasks', '[data-testid="task-card"]'],
    ['a task page', '#/tasks/TASK', 'tasks', '[data-testid="task-detail"]'],
    ['the inbox', '#/inbox', 'inbox', '[data-testid="decision-card"]'],
    ['the healer', '#/healer', 'healer', '[data-testid="heal-item"]'],
    ['the brief', '#/brief', 'brief', '[data-testid="brief-since"]'],
    ['the admin view', '#/admin', 'admin', '[data-testid="view-admin"]'],
  ];
  for (const [name, hash, view, ready] of views) {
    test(`${name} has no WCAG 2 A/AA violations`, async (t) => {
      const { page } = dashboard;
      await open(page, hash.replace('TASK', taskId), view, ready);
      const { violations, passed, undecided } = await audit(page);
      t.diagnostic(`${passed} rules passed; left undecided: ${JSON.stringify(undecided)}`);
      assert.deepEqual(violations.map((v) => v.id), [], report(violations));
    });
  }

  test('at phone width, with the nav folded behind its Menu button, the overview and the feed have no violations either', async (t) => {
    const phone = await suite.dashboards.open(suite.browser, suite.hub.url, suite.hub.adminToken, { viewport: { width: 390, height: 844 } });
    for (const [hash, view, ready] of [
      ['#/overview', 'overview', '[data-testid="overview-recent"]'],
      ['#/feed', 'feed', '[data-testid="feed-row"]'],
    ] as const) {
      await open(phone.page, hash, view, ready);
      const { violations, passed } = await audit(phone.page);
      t.diagnostic(`${view}: ${passed} rules passed`);
      assert.deepEqual(violations.map((v) => v.id), [], report(violations));
    }
    await phone.page.getByTestId('nav-toggle').click();
    await phone.page.getByTestId('nav-feed').waitFor();
    const { violations } = await audit(phone.page);
    assert.deepEqual(violations.map((v) => v.id), [], `the unfolded menu: ${report(violations)}`);
    assert.deepEqual(phone.pageErrors, []);
  });

  test('at phone width the agents table scrolls sideways to its actions, with each agent\'s name kept in view', async () => {
    const phone = await suite.dashboards.open(suite.browser, suite.hub.url, suite.hub.adminToken, { viewport: { width: 390, height: 844 } });
    await open(phone.page, '#/agents', 'agents', '[data-testid="agent-row"]');
    const seen = await phone.page.getByTestId('agents-list').evaluate((table) => {
      const box = table.parentElement!;
      box.scrollLeft = box.scrollWidth;
      const b = box.getBoundingClientRect();
      const row = table.querySelector('[data-testid="agent-row"][data-agent-id="agt_worker"]')!;
      // Anonymous callbacks only: the page runs this as written, without the test runner's helpers.
      const [name, pause] = ['agent-link', 'agent-pause'].map((id) => row.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect()).map((r) => r.left >= b.left - 1 && r.right <= b.right + 1);
      return { scrolled: box.scrollLeft > 0, name, pause };
    });
    assert.deepEqual(seen, { scrolled: true, name: true, pause: true });
    await phone.close();
  });

  test("the Inbox link's count reads at AA contrast (4.5:1): axe leaves it out, its number being said in words beside it", async () => {
    const { page } = dashboard;
    await open(page, '#/inbox', 'inbox', '[data-testid="decision-card"]');
    const colours = await page.getByTestId('nav-inbox-count').evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
    const luminance = (rgb: string) => {
      const [r, g, b] = rgb.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((c) => Number(c) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const [light, dark] = colours.map(luminance).sort((x, y) => y - x);
    const ratio = (light! + 0.05) / (dark! + 0.05);
    assert.ok(ratio >= 4.5, `${colours.join(' on ')}: ${ratio.toFixed(2)}:1`);
  });

  test('Tab from the top reaches the nav, then the view, in order, each stop with a visible focus ring', async () => {
    const { page } = dashboard;
    await open(page, '#/agents', 'agents', '[data-testid="agent-row"]');
    // From the top: focus the document itself, as a fresh load does.
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    await page.mouse.click(1, 1);
    const stops: Array<{ where: string; testid: string; ring: boolean }> = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const stop = await page.evaluate(() => {
        let el: Element | null = document.activeElement;
        const path: string[] = [];
        while (el?.shadowRoot?.activeElement) {
          path.push(el.localName);
          el = el.shadowRoot.activeElement;
        }
        if (!el) return { where: '', testid: '', ring: false };
        path.push(el.localName);
        const style = getComputedStyle(el);
        const ring = el.matches(':focus-visible') && ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none');
        return { where: path.join(' > '), testid: el.getAttribute('data-testid') ?? '', ring };
      });
      stops.push(stop);
      if (stop.where.includes('mc-agents')) break;
    }
    const trail = stops.map((s) => `${s.where}[${s.testid}]`).join('\n');
    const firstNav = stops.findIndex((s) => s.where.includes('mc-nav'));
    const firstView = stops.findIndex((s) => s.where.includes('mc-agents'));
    assert.ok(firstNav >= 0, `the nav is reached:\n${trail}`);
    assert.ok(firstView > firstNav, `the view comes after the nav:\n${trail}`);
    assert.ok(stops.slice(firstNav, firstView).every((s) => s.where.includes('mc-nav')), `nothing between the nav and the view:\n${trail}`);
    assert.equal(stops[firstView]?.testid, 'agents-spawn-open', `the view's first control is its first stop:\n${trail}`);
    const unringed = stops.filter((s) => !s.ring);
    assert.deepEqual(unringed, [], `every stop shows where the focus is:\n${trail}`);
  });

  test('the healer names the agent, links its page, and labels the failure by who failed and why, not by an event id', async () => {
    const { page } = dashboard;
    await open(page, '#/healer', 'healer', '[data-testid="heal-item"]');
    const link = page.getByTestId('heal-agent-link').first();
    assert.equal(await link.innerText(), 'nightly-import');
    assert.equal(await link.getAttribute('href'), '#/agents/agt_import');
    assert.equal(await page.getByTestId('heal-failure-link').first().innerText(), 'nightly-import failed: database password rejected for user "importer"');
  });

  test('the page threw nothing', () => {
    assert.deepEqual(dashboard.pageErrors, []);
  });
});

// In a real Chromium: the overview is the landing view; its figures are those of GET /overview for
// a seeded fleet; a new red decision raises the red count live; its inbox link opens the inbox; it
// fits a phone. (Its screenshots are taken with the other views' in screenshots.test.ts.)
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Overview } from '../../server/client/views.ts';
import { newEvent } from '../../server/log/new-event.ts';
import { registeredAgent } from '../helpers/agents.ts';
import { ask, bearer } from '../helpers/decisions.ts';
import { healerCallback } from '../helpers/healer-callback.ts';
import { browserSuite, eventually, goTo, noChromium } from './chromium.ts';

// No agent turns stale by the clock mid-test: the stale one is made so on purpose.
const suite = browserSuite({ agents: { staleAfterMs: 3_600_000 } });
let operatorToken: string;

const utcDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

function ok(res: { status: number; body: any }, status = 201): any {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

/** A registered agent that reports model runs of these costs. */
async function agentWithRuns(id: string, name: string, runs: number[]): Promise<Record<string, string>> {
  const auth = await registeredAgent(suite.hub, id, { name });
  for (const costUsd of runs) {
    ok(await suite.hub.post('/events', { type: 'run.started', data: { model: 'claude-sonnet-4', estimatedCostUsd: costUsd } }, auth));
    ok(await suite.hub.post('/events', { type: 'run.completed', data: { model: 'claude-sonnet-4', tokensIn: Math.round(costUsd * 90_000), tokensOut: Math.round(costUsd * 12_000), costUsd } }, auth));
  }
  return auth;
}

/** A fleet as an operator might find it in the morning: most agents busy, some waiting, paused, silent or failed. */
async function seedFleet(): Promise<void> {
  for (let i = 1; i <= 9; i++) await agentWithRuns(`agt_worker_${i}`, `worker-${String(i).padStart(2, '0')} · test shard ${i}`, i % 3 === 0 ? [0.35] : []);
  await agentWithRuns('agt_claude_auth', 'claude · session refactor', [0.42, 1.35, 0.88]);
  await agentWithRuns('agt_codex_docs', 'codex · API docs sweep', [0.21, 0.19]);
  await agentWithRuns('agt_claude_ci', 'claude · flaky checkout test', [2.4, 3.1]);
  ok(await suite.hub.post('/agents/agt_claude_ci/pause', { reason: 'operator' }), 200);
  const billing = await agentWithRuns('agt_claude_billing', 'claude · billing schema v7', [1.9, 2.7]);
  await ask(suite.hub, { title: 'Apply migration 0042_billing_v7 to production?', risk: 'high' }, billing);
  const mirror = await agentWithRuns('agt_mirror_sync', 'mirror-sync', [0.05]);
  const transient = ok(await suite.hub.post('/events', { type: 'agent.failed', data: { code: 1, error: 'exited with code 1: read ECONNRESET' } }, mirror));
  const importer = await agentWithRuns('agt_nightly_import', 'nightly-import', []);
  const rejected = ok(await suite.hub.post('/events', { type: 'agent.failed', data: { code: 2, error: 'database password rejected for user "importer"' } }, importer));
  await registeredAgent(suite.hub, 'agt_search_reindex', { name: 'search-reindex' });
  await suite.hub.appender.append([newEvent({ type: 'agent.stale', data: { lastSeenAt: new Date().toISOString() }, actor: 'hub', agentId: 'agt_search_reindex' })]);

  await ask(suite.hub, { title: 'Regenerate the lockfile?', risk: 'low' });
  await ask(suite.hub, { title: 'Bump lodash to 4.17.21 in three services?', risk: 'medium' });
  await ask(suite.hub, { title: 'Drop the legacy_users table in production?', risk: 'red' });

  await healerCallback(suite.hub.url, 'heal.completed', { failureEventId: transient.id, playbook: 'transient-crash', action: 'respawn', attempts: 1 });
  await healerCallback(suite.hub.url, 'heal.escalated', { failureEventId: rejected.id, reason: 'no playbook matched "database password rejected"', attempts: 0 });

  // The week so far: the hub's spend on each of the six days before today.
  for (const [back, spentUsd] of [[6, 41.2], [5, 63.75], [4, 28.4], [3, 71.9], [2, 55.3], [1, 84.15]] as const) {
    ok(await suite.hub.post('/budgets/correct', { scope: 'global', scopeId: utcDay(-back), spentUsd, reason: 'the week so far' }), 200);
  }
}

before(async () => {
  if (noChromium) return;
  await suite.ready();
  operatorToken = ok(await suite.hub.post('/tokens', { role: 'operator', name: 'sam' }, bearer(suite.hub.adminToken))).token;
  await seedFleet();
});

const text = async (page: Page, testid: string) => (await page.getByTestId(testid).innerText()).trim();
/** The leading number of a figure ("12 decisions wait" -> 12). */
const figure = async (page: Page, testid: string) => Number((await text(page, testid)).replace(/,/g, '').match(/\d+/)?.[0]);
const riskCount = (page: Page, risk: string) => page.getByTestId(`overview-risk-${risk}`).getAttribute('data-count').then(Number);

async function apiOverview(): Promise<Overview> {
  return ok(await suite.hub.get('/overview', bearer(operatorToken)), 200) as Overview;
}

describe('the overview', { skip: noChromium }, () => {
  test('is where the dashboard lands, showing what GET /overview says', async () => {
    const { page, pageErrors } = await suite.dashboards.open(suite.browser, suite.hub.url, operatorToken);
    await page.getByTestId('view-overview').waitFor();
    assert.equal(await page.getByTestId('nav-overview').getAttribute('aria-current'), 'page');
    await page.getByTestId('overview').waitFor();
    const api = await apiOverview();

    assert.equal(await figure(page, 'overview-pending'), api.decisions.pending);
    for (const risk of ['low', 'medium', 'high', 'red'] as const) assert.equal(await riskCount(page, risk), api.decisions.byRisk[risk], risk);
    assert.deepEqual(api.decisions.byRisk, { low: 0, medium: 1, high: 2, red: 1 }, 'the seeded ones, and the escalation');
    assert.match(await text(page, 'overview-oldest'), /oldest asked \d+ (s|min) ago/);

    const fleet = { running: api.agents.running, waiting: api.agents.waiting, paused: api.agents.paused, stale: api.agents.stale, lost: api.agents.lost, failed: api.agents.failedLastHour, total: api.agents.total };
    for (const [name, value] of Object.entries(fleet)) assert.equal(await figure(page, `overview-agents-${name}`), value, name);
    assert.deepEqual(fleet, { running: 11, waiting: 1, paused: 1, stale: 1, lost: 0, failed: 2, total: 16 });
    const attention = await page.getByTestId('overview-attention').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-agent-id')));
    assert.deepEqual(attention, api.agents.attention.map((a) => a.id));
    assert.deepEqual(attention.slice(0, 2).sort(), ['agt_mirror_sync', 'agt_nightly_import'], 'the failed first');
    assert.equal(await page.getByTestId('overview-agent-link').first().getAttribute('href'), `#/agents/${attention[0]}`, "each links to the agent's page");

    assert.ok(api.spend);
    assert.match(await text(page, 'overview-spend-today'), new RegExp(`^\\$${api.spend.todayUsd.toFixed(2)}\\s+of \\$${api.spend.dailyLimitUsd.toFixed(2)} a day`));
    assert.equal(await page.locator('[data-testid="overview-spend-chart"] rect').count(), 7);
    assert.match((await page.getByTestId('overview-spend-chart').getAttribute('aria-label')) ?? '', new RegExp(`${utcDay(-1)} \\$84\\.15`));

    assert.equal(await figure(page, 'overview-events-minute'), api.events.lastMinute);
    assert.equal(await figure(page, 'overview-events-hour'), api.events.lastHour);
    assert.equal(await page.getByTestId('overview-failure').count(), api.recent.failures.length);
    assert.equal(await page.getByTestId('overview-heal').count(), 2);
    assert.deepEqual(pageErrors, []);
  });

  test('a new red decision raises the red count live, and the inbox link opens it', async () => {
    const { page, pageErrors } = await suite.dashboards.open(suite.browser, suite.hub.url, operatorToken);
    await page.getByTestId('overview').waitFor();
    const before = await riskCount(page, 'red');
    const pendingBefore = await figure(page, 'overview-pending');
    const red = await ask(suite.hub, { title: 'Rotate the production database credentials now?', risk: 'red' });
    await eventually('the red count to rise', async () => ((await riskCount(page, 'red')) === before + 1 ? true : undefined), 10_000);
    assert.equal(await figure(page, 'overview-pending'), pendingBefore + 1);

    await page.getByTestId('overview-inbox-link').click();
    await page.getByTestId('view-inbox').waitFor();
    assert.match(page.url(), /#\/inbox$/);
    await page.locator(`[data-testid="decision-card"][data-decision-id="${red.id}"]`).waitFor();
    await goTo(page, 'overview');
    await page.getByTestId('overview').waitFor();
    assert.equal(await riskCount(page, 'red'), before + 1);
    assert.deepEqual(pageErrors, []);
  });

  test('every other view keeps its address', async () => {
    const { page, pageErrors } = await suite.dashboards.open(suite.browser, suite.hub.url, operatorToken, { route: '#/feed' });
    await page.getByTestId('view-feed').waitFor();
    for (const view of ['agents', 'tasks', 'inbox', 'healer', 'feed', 'overview'] as const) await goTo(page, view);
    assert.deepEqual(pageErrors, []);
  });

  test('a link with a token opened in a tab already showing the dashboard opens its view and leaves no token in the address bar', async () => {
    const { page, pageErrors } = await suite.dashboards.open(suite.browser, suite.hub.url, operatorToken);
    await page.getByTestId('view-overview').waitFor();
    await page.evaluate((token) => {
      location.hash = `#/inbox&token=${encodeURIComponent(token)}`;
    }, operatorToken);
    await page.getByTestId('view-inbox').waitFor();
    assert.match(page.url(), /#\/inbox$/);
    assert.equal(await page.getByTestId('nav-inbox').getAttribute('aria-current'), 'page');
    assert.deepEqual(pageErrors, []);
  });

  test('fits a phone: nothing wider than 390 px, no sideways scrolling', async () => {
    const phone = await suite.dashboards.open(suite.browser, suite.hub.url, operatorToken, { viewport: { width: 390, height: 844 } });
    await phone.page.getByTestId('overview-heal').first().waitFor();
    const overflow = await phone.page.getByTestId('overview').evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok(overflow <= 0, `the overview overflows the phone by ${overflow} px`);
    assert.deepEqual(phone.pageErrors, []);
  });
});

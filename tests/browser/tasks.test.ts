// In a real Chromium: a task created from the board, opened, its history shown, its incident
// report downloaded, and a board that fits a laptop's width.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ensureDashboard } from '../../server/dashboard/build.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { ask, bearer } from '../helpers/decisions.ts';
import { type TestHub, testHub } from '../helpers/hub.ts';
import { type Dashboard, eventually, goTo, launchChromium, noChromium, openDashboard } from './chromium.ts';

let database: TestDatabase;
let hub: TestHub;
let browser: Browser;
let dashboard: Dashboard | undefined;

before(async () => {
  if (noChromium) return;
  await ensureDashboard(() => undefined);
  database = await testDatabase();
  hub = await testHub(database.url);
  browser = await launchChromium();
});
after(async () => {
  await dashboard?.close();
  await browser?.close();
  await hub?.close();
  await database?.drop();
});

describe('the task board', () => {
  test('a task created from the board opens with its moves and decisions, and exports a report', { skip: noChromium }, async () => {
    const token = await hub.mint('operator');
    const operator = bearer(token);
    dashboard = await openDashboard(browser, hub.url, token);
    const { page } = dashboard;
    await goTo(page, 'tasks');

    // A refusal of the hub is shown in the form, with its detail.
    await page.getByTestId('task-new').click();
    await page.getByTestId('task-form-title').fill('Rotate the signing keys');
    await page.getByTestId('task-form-labels').fill('x'.repeat(65));
    await page.getByTestId('task-form-submit').click();
    assert.match(await page.getByTestId('task-form-error').innerText(), /labels/);

    await page.getByTestId('task-form-labels').fill('security, ops');
    await page.getByTestId('task-form-description').fill('Every key older than 90 days.');
    await page.getByTestId('task-form-priority').selectOption('high');
    await page.getByTestId('task-form-submit').click();
    const card = page.locator('[data-testid="task-card"]', { hasText: 'Rotate the signing keys' });
    await card.waitFor();
    await page.getByTestId('task-form').waitFor({ state: 'detached' });
    const taskId = (await card.getAttribute('data-task-id'))!;
    const stored = (await hub.get(`/tasks/${taskId}`, operator)).body;
    assert.deepEqual([stored.priority, stored.labels, stored.description], ['high', ['security', 'ops'], 'Every key older than 90 days.']);

    // A move made through the API and a decision about the task, then the detail.
    assert.equal((await hub.post(`/tasks/${taskId}/transition`, { to: 'blocked', reason: 'waiting on the HSM vendor' }, operator)).status, 200);
    const decision = await ask(hub, { title: 'Revoke the old keys now?', risk: 'high', taskId }, operator);
    await card.getByTestId('task-open').click();
    await page.waitForURL(new RegExp(`#/tasks/${taskId}$`));
    const detail = page.getByTestId('task-detail');
    await detail.waitFor();
    assert.equal(await page.getByTestId('task-detail-title').innerText(), 'Rotate the signing keys');
    assert.match(await page.getByTestId('task-description').innerText(), /90 days/);
    const move = page.locator('[data-testid="task-transition"][data-from="todo"][data-to="blocked"]');
    await move.waitFor();
    assert.match(await move.innerText(), /To do → Blocked[\s\S]*waiting on the HSM vendor/);
    await page.locator(`[data-testid="task-decision"][data-decision-id="${decision.id}"]`).waitFor();
    await eventually('three events in the timeline', async () => ((await page.getByTestId('task-event').count()) >= 3 ? true : undefined));
    const seqs = await page.getByTestId('task-event').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.seq)));
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('task-export').click()]);
    assert.equal(download.suggestedFilename(), `task-${taskId}.md`);
    const report = await readFile((await download.path())!, 'utf8');
    assert.match(report, /^# Rotate the signing keys/);
    assert.match(report, /To do → Blocked by .*: waiting on the HSM vendor/);
    assert.match(report, /Revoke the old keys now\?/);

    await page.getByTestId('task-back').click();
    await page.getByTestId('task-board').waitFor();
    assert.deepEqual(dashboard.pageErrors, []);
  });

  test("an assigned task names its agent, linked to the agent's page, on its card, as its assignee and in its timeline", { skip: noChromium }, async () => {
    const agentId = 'agt_key_rotator';
    assert.equal((await hub.post(`/agents/${agentId}/heartbeat`, { name: 'key rotator' }, bearer(await hub.mint('agent', agentId)))).status, 200);
    const token = await hub.mint('operator');
    const created = await hub.post('/tasks', { title: 'Rotate the TLS certificates', agentId }, bearer(token));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const opened = await openDashboard(browser, hub.url, token, { route: '#/tasks' });
    const card = opened.page.locator(`[data-testid="task-card"][data-task-id="${created.body.id}"]`);
    const onCard = card.getByTestId('task-agent');
    assert.equal(await onCard.innerText(), 'key rotator');
    assert.equal(await onCard.getAttribute('href'), `#/agents/${agentId}`);
    await card.getByTestId('task-open').click();
    const inTimeline = opened.page.locator('[data-testid="task-event"][data-type="task.assigned"]').getByTestId('task-event-agent');
    assert.equal(await inTimeline.innerText(), 'key rotator');
    assert.equal(await inTimeline.getAttribute('href'), `#/agents/${agentId}`);
    const assignee = opened.page.getByTestId('task-assignee');
    assert.deepEqual([await assignee.innerText(), await assignee.getAttribute('href')], ['key rotator', `#/agents/${agentId}`]);
    assert.deepEqual(opened.pageErrors, []);
    await opened.close();
  });

  test('at 1280 px every column is inside the viewport; at 390 px they wrap', { skip: noChromium }, async () => {
    const token = await hub.mint('operator');
    for (const width of [1280, 390]) {
      const opened = await openDashboard(browser, hub.url, token, { route: '#/tasks', viewport: { width, height: 800 } });
      await opened.page.getByTestId('task-column').first().waitFor();
      const rights = await opened.page.getByTestId('task-column').evaluateAll((columns) => columns.map((c) => c.getBoundingClientRect().right));
      assert.equal(rights.length, 6);
      for (const right of rights) assert.ok(right <= width, `a column ends at ${right} px, past ${width}`);
      const overflow = await opened.page.getByTestId('task-board').evaluate((board) => board.scrollWidth - board.clientWidth);
      assert.equal(overflow, 0, `no horizontal scroll at ${width} px`);
      assert.deepEqual(opened.pageErrors, []);
      await opened.close();
    }
  });
});

// In a real Chromium: an operator unblocks a real agent process (tests/fixtures/agents/decider.ts)
// by approving its decision in the dashboard's inbox.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { ensureDashboard } from '../../server/dashboard/build.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { bearer } from '../helpers/decisions.ts';
import { type TestHub, testHub } from '../helpers/hub.ts';
import { type Dashboard, eventsOf, eventually, goTo, launchChromium, noChromium, openDashboard } from './chromium.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

let database: TestDatabase;
let hub: TestHub;
let browser: Browser;
let dashboard: Dashboard | undefined;

before(async () => {
  if (noChromium) return;
  await ensureDashboard(() => undefined);
  database = await testDatabase();
  hub = await testHub(database.url, {
    templates: { decider: { command: process.execPath, args: ['--import', 'tsx', 'tests/fixtures/agents/decider.ts'], cwd: repoRoot } },
  });
  browser = await launchChromium();
});
after(async () => {
  await dashboard?.close();
  await browser?.close();
  // The agent exits by itself once answered; one left over by a failed test is ended here.
  const pids = hub ? (await eventsOf(hub.url, hub.auth, { types: 'agent.spawned' })).map((e) => e.data.pid as number) : [];
  await hub?.close();
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await database?.drop();
});

describe('the inbox', () => {
  test('an agent waiting on a decision is unblocked by clicking Approve', { skip: noChromium }, async () => {
    const operatorToken = await hub.mint('operator');
    const operator = bearer(operatorToken);
    dashboard = await openDashboard(browser, hub.url, operatorToken);
    const { page } = dashboard;
    await goTo(page, 'inbox');
    await page.getByTestId('inbox-empty').waitFor();

    const spawned = await fetch(`${hub.url}/spawn`, { method: 'POST', headers: { ...operator, 'content-type': 'application/json' }, body: JSON.stringify({ template: 'decider' }) });
    assert.equal(spawned.status, 202, await spawned.clone().text());
    const { agentId } = (await spawned.json()) as { agentId: string };
    const decisionId = await eventually(
      `${agentId} awaiting a decision`,
      async () => {
        const view = (await hub.get(`/agents/${agentId}`, operator)).body;
        return view.status === 'awaiting_decision' ? (view.pendingDecisionId as string) : undefined;
      },
      60_000,
    );

    // The card arrives over the live stream; the operator comments, then approves.
    const card = page.locator(`[data-testid="decision-card"][data-decision-id="${decisionId}"]`);
    await card.waitFor();
    assert.match(await card.getByTestId('decision-risk').innerText(), /high/);
    assert.match(await card.getByTestId('decision-context').innerText(), /apply a schema migration/);
    await card.getByTestId('decision-comment').fill('approved from the browser test');
    await card.getByTestId('decision-approve').click();

    // The agent, blocked on GET /decisions/:id/wait, carries on and exits.
    const events = await eventually(
      `x.fixture.applied and agent.exited from ${agentId}`,
      async () => {
        const log = await eventsOf(hub.url, operator, { agent: agentId });
        return log.some((e) => e.type === 'x.fixture.applied') && log.some((e) => e.type === 'agent.exited') ? log : undefined;
      },
      30_000,
    );
    const types = events.map((e) => e.type);
    assert.ok(types.indexOf('decision.resolved') < types.indexOf('x.fixture.applied'), `applied only after the approval: ${types.join(', ')}`);
    assert.equal(events.find((e) => e.type === 'x.fixture.applied')!.data.decisionId, decisionId);
    const exited = events.find((e) => e.type === 'agent.exited')!;
    assert.equal(exited.data.code, 0);

    const decision = (await hub.get(`/decisions/${decisionId}`, operator)).body;
    assert.deepEqual([decision.status, decision.outcome, decision.comment], ['resolved', 'approve', 'approved from the browser test']);
    const who = (await hub.get('/whoami', operator)).body;
    assert.equal(decision.resolvedBy, who.actor, 'recorded as the operator who clicked');

    // The card leaves the pending list for the history, with its outcome and comment.
    const settled = page.locator(`[data-testid="decision-history-item"][data-decision-id="${decisionId}"][data-status="resolved"]`);
    await settled.waitFor();
    assert.match(await settled.innerText(), /approve[\s\S]*approved from the browser test/);
    await card.waitFor({ state: 'detached' });
    await page.getByTestId('inbox-empty').waitFor();
    assert.deepEqual(dashboard.pageErrors, []);
  });

  test("a healer's escalation offers only its own answers, retry and abandon", { skip: noChromium }, async () => {
    const operatorToken = await hub.mint('operator');
    await dashboard?.close();
    dashboard = await openDashboard(browser, hub.url, operatorToken);
    const { page } = dashboard;
    await goTo(page, 'inbox');
    const asked = await hub.post('/decisions', { title: 'Agent a-9 keeps failing: retry it?', risk: 'high', options: ['retry', 'abandon'] }, bearer(operatorToken));
    assert.equal(asked.status, 201, JSON.stringify(asked.body));
    const card = page.locator(`[data-testid="decision-card"][data-decision-id="${asked.body.id}"]`);
    await card.waitFor();
    assert.deepEqual(await card.getByTestId('decision-option').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-outcome'))), ['retry', 'abandon']);
    assert.equal(await card.getByTestId('decision-approve').count(), 0);
    assert.equal(await card.getByTestId('decision-deny').count(), 0);
    await card.locator('[data-outcome="retry"]').click();
    await card.waitFor({ state: 'detached' });
    assert.equal((await hub.get(`/decisions/${asked.body.id}`, bearer(operatorToken))).body.outcome, 'retry');
    assert.deepEqual(dashboard.pageErrors, []);
  });
});

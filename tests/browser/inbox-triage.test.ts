// In a real Chromium: an operator takes many decisions in the inbox: sorted by risk then deadline,
// grouped by agent or project, answered from the keyboard or in bulk after a confirmation, with
// each question's full context; a viewer reads the same inbox and can answer nothing.
import assert from 'node:assert/strict';
import { before, beforeEach, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { registeredAgent } from '../helpers/agents.ts';
import { bearer } from '../helpers/decisions.ts';
import { browserSuite, eventually, goTo, noChromium } from './chromium.ts';

const suite = browserSuite({ projects: { shop: { description: 'the web shop' } } });
let operatorToken: string;
let operator: Record<string, string>;
let actor: string;

before(async () => {
  if (noChromium) return;
  await suite.ready();
  operatorToken = await suite.hub.mint('operator');
  operator = bearer(operatorToken);
  actor = (await suite.hub.get('/whoami', operator)).body.actor;
});

/** Asks a decision as the suite's operator and returns its id. */
async function ask(body: Record<string, unknown>): Promise<string> {
  const res = await suite.hub.post('/decisions', { risk: 'medium', expiresInSec: 3600, ...body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

const decisionOf = async (id: string) => (await suite.hub.get(`/decisions/${id}`)).body;

/** Denies whatever of `ids` still waits. */
async function settle(ids: readonly string[]): Promise<void> {
  for (const id of ids) if ((await decisionOf(id)).status === 'pending') await suite.hub.post(`/decisions/${id}/resolve`, { outcome: 'deny' });
}

// Each test starts from an empty inbox, whatever the one before left waiting.
beforeEach(async () => {
  if (noChromium) return;
  await settle((await suite.hub.get('/decisions?status=pending')).body.decisions.map((d: { id: string }) => d.id));
});

/** The pending cards' decision ids, top to bottom. */
const shownOrder = (page: Page) => page.locator('mc-decision-card').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.decisionId));

async function openInbox(token: string) {
  const dashboard = await suite.dashboards.open(suite.browser, suite.hub.url, token);
  await goTo(dashboard.page, 'inbox');
  return dashboard;
}

describe('an inbox for volume', { skip: noChromium }, () => {
  test('pending decisions are sorted by risk (red, high, medium), then soonest deadline first', async () => {
    const mediumLate = await ask({ title: 'medium, 10 min', risk: 'medium', expiresInSec: 600 });
    const highLate = await ask({ title: 'high, 50 min', risk: 'high', expiresInSec: 3000 });
    const red = await ask({ title: 'red, 50 min', risk: 'red', expiresInSec: 3000 });
    const highSoon = await ask({ title: 'high, 5 min', risk: 'high', expiresInSec: 300 });
    const mediumSoon = await ask({ title: 'medium, 2 min', risk: 'medium', expiresInSec: 120 });
    const { page, pageErrors } = await openInbox(operatorToken);
    await eventually('five cards', async () => ((await shownOrder(page)).length === 5 ? true : undefined));
    assert.deepEqual(await shownOrder(page), [red, highSoon, highLate, mediumSoon, mediumLate]);
    await settle([mediumLate, highLate, red, highSoon, mediumSoon]);
    await page.getByTestId('inbox-empty').waitFor();
    assert.deepEqual(pageErrors, []);
  });

  test('grouped by agent or by project on demand, with counts, and the choice remembered', async () => {
    await registeredAgent(suite.hub, 'agt_builder', { name: 'builder' });
    await registeredAgent(suite.hub, 'agt_tester', { name: 'tester' });
    const task = await suite.hub.post('/tasks', { title: 'Ship the cart' });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    const asked = [
      await ask({ title: 'Merge the builder branch?', risk: 'high', agentId: 'agt_builder', taskId: task.body.id }),
      await ask({ title: 'Run the tester suite again?', risk: 'medium', agentId: 'agt_tester' }),
      await ask({ title: 'Bump the builder cache?', risk: 'medium', agentId: 'agt_builder' }),
      await ask({ title: 'Rotate the shop keys?', risk: 'high', projectId: 'shop' }),
    ];
    const { page, pageErrors } = await openInbox(operatorToken);
    await eventually('four cards', async () => ((await shownOrder(page)).length === 4 ? true : undefined));
    assert.equal(await page.getByTestId('inbox-group').count(), 0, 'not grouped until asked');

    // The card says whom and what it is about, with links.
    const merge = page.locator(`mc-decision-card[data-decision-id="${asked[0]}"]`);
    assert.equal(await merge.getByTestId('decision-agent').innerText(), 'builder');
    assert.equal(await merge.getByTestId('decision-agent').getAttribute('href'), '#/agents/agt_builder');
    assert.equal(await merge.getByTestId('decision-task').getAttribute('href'), `#/tasks/${task.body.id}`);
    assert.equal(await merge.getByTestId('decision-project').innerText(), 'default');

    const groups = async () => page.getByTestId('inbox-group').evaluateAll((sections) => sections.map((s) => [s.getAttribute('aria-label'), s.querySelector('[data-testid="inbox-group-count"]')?.textContent]));
    await page.getByTestId('inbox-group-by').selectOption('agent');
    assert.deepEqual(await groups(), [['builder', '2'], ['No agent', '1'], ['tester', '1']]);
    assert.deepEqual(await shownOrder(page), [asked[0], asked[2], asked[3], asked[1]], 'cards follow their groups');

    await page.reload();
    await page.getByTestId('inbox-group').first().waitFor();
    assert.equal(await page.getByTestId('inbox-group-by').inputValue(), 'agent', 'remembered across a reload');
    await page.getByTestId('inbox-group-by').selectOption('project');
    assert.deepEqual(await groups(), [['default', '3'], ['shop', '1']]);
    await page.getByTestId('inbox-group-by').selectOption('none');
    assert.equal(await page.getByTestId('inbox-group').count(), 0);
    await settle(asked);
    assert.deepEqual(pageErrors, []);
  });

  test('keyboard triage answers three decisions: j moves, a approves, d denies, c comments; the focus moves on after each', async () => {
    const [first, second, third] = [
      await ask({ title: 'Deploy the shop?', risk: 'high', expiresInSec: 600 }),
      await ask({ title: 'Clear the CDN cache?', risk: 'high', expiresInSec: 1200 }),
      await ask({ title: 'Raise the build timeout?', risk: 'medium', expiresInSec: 600 }),
    ];
    const { page, pageErrors } = await openInbox(operatorToken);
    await eventually('three cards', async () => ((await shownOrder(page)).length === 3 ? true : undefined));
    assert.match(await page.getByTestId('inbox-keys').innerText(), /j.*k.*a approve.*d deny.*c comment/s);
    const focused = (id: string) => page.locator(`mc-decision-card[focused][data-decision-id="${id}"] article:focus`).waitFor();

    await page.keyboard.press('j');
    await focused(first!);
    await page.keyboard.press('Control+a');
    await page.keyboard.press('a');
    await focused(second!);
    await page.keyboard.press('k');
    await focused(second!);
    await page.keyboard.press('d');
    await focused(third!);

    // c puts the cursor in the comment field; the letters typed there are text, not answers.
    await page.keyboard.press('c');
    const comment = page.locator(`mc-decision-card[data-decision-id="${third}"]`).getByTestId('decision-comment');
    assert.equal(await comment.evaluate((input) => input.matches(':focus')), true, 'c focuses the comment field');
    await page.keyboard.type('a day later, as agreed');
    assert.equal(await comment.inputValue(), 'a day later, as agreed');
    assert.equal((await decisionOf(third!)).status, 'pending', 'typing in the comment answers nothing');
    // Escape leaves the field for the card, the comment kept; a then answers with it.
    await page.keyboard.press('Escape');
    await focused(third!);
    await page.keyboard.press('a');
    await page.getByTestId('inbox-empty').waitFor();

    const answered = await Promise.all([first, second, third].map((id) => decisionOf(id!)));
    assert.deepEqual(
      answered.map((d) => [d.status, d.outcome, d.resolvedBy, d.comment]),
      [
        ['resolved', 'approve', actor, null],
        ['resolved', 'deny', actor, null],
        ['resolved', 'approve', actor, 'a day later, as agreed'],
      ],
    );
    assert.deepEqual(pageErrors, []);
  });

  test("a red decision shows its first approval with who gave it; a takes this operator's, the second", async () => {
    const admin = bearer(await suite.hub.mint('admin'));
    const ann = await suite.hub.post('/tokens', { role: 'operator', name: 'Ann Lee' }, admin);
    assert.equal(ann.status, 201, JSON.stringify(ann.body));
    const red = await ask({ title: 'Force-push the release branch?', risk: 'red' });
    const approved = await suite.hub.post(`/decisions/${red}/resolve`, { outcome: 'approve' }, bearer(ann.body.token));
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const { page, pageErrors } = await openInbox(operatorToken);
    const card = page.locator(`mc-decision-card[data-decision-id="${red}"]`);
    await eventually('the approver by name', async () => ((await card.getByTestId('decision-first-approval').textContent()) === 'Ann Lee' ? true : undefined));
    assert.match(await card.getByTestId('decision-approvals').innerText(), /1 of 2 approvals/);
    await page.keyboard.press('j');
    await page.keyboard.press('a');
    await page.getByTestId('inbox-empty').waitFor();
    const settled = await decisionOf(red);
    assert.equal(settled.outcome, 'approve');
    assert.deepEqual(settled.approvals.map((a: { by: string }) => a.by).at(-1), actor);
    assert.equal(settled.approvals.length, 2);
    assert.deepEqual(pageErrors, []);
  });

  test('bulk answers: confirm names them, cancel leaves them, one answered meanwhile fails alone; red and healer escalations cannot be picked', async () => {
    const red = await ask({ title: 'Drop the staging table?', risk: 'red' });
    const escalation = await ask({ title: 'Agent a-9 keeps failing: retry it?', risk: 'high', options: ['retry', 'abandon'] });
    const m1 = await ask({ title: 'Update the lockfile?', risk: 'medium' });
    const m2 = await ask({ title: 'Regenerate the snapshots?', risk: 'medium' });
    const h1 = await ask({ title: 'Restart the preview server?', risk: 'high' });
    const { page, pageErrors } = await openInbox(operatorToken);
    await eventually('five cards', async () => ((await shownOrder(page)).length === 5 ? true : undefined));
    const checkbox = (id: string) => page.locator(`[data-testid="decision-select"][data-decision-id="${id}"]`);
    assert.equal(await checkbox(red).isDisabled(), true, 'a red decision cannot be selected');
    assert.match((await checkbox(red).getAttribute('title')) ?? '', /two different operators/);
    assert.equal(await checkbox(escalation).isDisabled(), true, "a healer's escalation cannot be selected");
    assert.match(await page.getByTestId('bulk-bar').innerText(), /cannot be answered in bulk|neither can be answered in bulk/);

    await page.locator('[data-testid="bulk-select-risk"][data-risk="medium"]').click();
    assert.equal(await page.getByTestId('bulk-count').innerText(), '2 selected');
    await page.getByTestId('bulk-approve').click();
    const dialog = page.getByTestId('bulk-dialog');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Approve 2 decisions\?/);
    assert.equal(await page.getByTestId('bulk-dialog-confirm').getAttribute('class'), 'primary', 'approving is not dressed as a danger');
    const named = page.getByTestId('bulk-dialog-list');
    assert.ok(await named.isVisible(), 'the dialog names them');
    assert.deepEqual(await named.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-decision-id'))), [m1, m2]);
    assert.match(await named.innerText(), /Update the lockfile\?[\s\S]*Regenerate the snapshots\?/);
    await page.getByTestId('bulk-dialog-cancel').click();
    await dialog.waitFor({ state: 'hidden' });
    for (const id of [red, escalation, m1, m2, h1]) assert.equal((await decisionOf(id)).status, 'pending', `${id} still waits after cancel`);
    await page.getByTestId('bulk-deny').click();
    await dialog.waitFor();
    assert.equal(await page.getByTestId('bulk-dialog-confirm').getAttribute('class'), 'danger', 'denying is');
    await page.getByTestId('bulk-dialog-cancel').click();
    await dialog.waitFor({ state: 'hidden' });

    await checkbox(h1).check();
    await page.getByTestId('bulk-approve').click();
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Approve 3 decisions\?/);
    // Another operator answers one while the dialog is open: that one fails, the others go through.
    assert.equal((await suite.hub.post(`/decisions/${m2}/resolve`, { outcome: 'deny' })).status, 200);
    await page.locator(`mc-decision-card[data-decision-id="${m2}"]`).waitFor({ state: 'detached' });
    await page.getByTestId('bulk-dialog-confirm').click();
    const result = page.getByTestId('bulk-result');
    await result.waitFor();
    assert.match(await result.innerText(), /Approved 2 of 3 decisions/);
    assert.match(await page.locator(`[data-testid="bulk-failure"][data-decision-id="${m2}"]`).innerText(), /Regenerate the snapshots\?: .+/);

    const after = Object.fromEntries(await Promise.all([red, escalation, m1, m2, h1].map(async (id) => [id, await decisionOf(id)] as const)));
    assert.deepEqual([after[m1]!.status, after[m1]!.outcome, after[m1]!.resolvedBy], ['resolved', 'approve', actor]);
    assert.deepEqual([after[h1]!.status, after[h1]!.outcome, after[h1]!.resolvedBy], ['resolved', 'approve', actor]);
    assert.equal(after[m2]!.outcome, 'deny', 'the one answered meanwhile keeps its answer');
    assert.equal(after[red]!.status, 'pending');
    assert.equal(after[escalation]!.status, 'pending');
    await settle([red, escalation]);
    assert.deepEqual(pageErrors, []);
  });

  test('a viewer moves with j/k but gets no answering keys, no checkboxes and no bulk answers', async () => {
    const waiting = await ask({ title: 'Publish the docs?', risk: 'medium' });
    const { page, pageErrors } = await openInbox(await suite.hub.mint('viewer'));
    const card = page.locator(`mc-decision-card[data-decision-id="${waiting}"]`);
    await card.waitFor();
    assert.equal(await page.getByTestId('decision-select').count(), 0);
    assert.equal(await page.getByTestId('bulk-bar').count(), 0);
    assert.doesNotMatch(await page.getByTestId('inbox-keys').innerText(), /approve/);
    await page.keyboard.press('j');
    await page.locator(`mc-decision-card[focused][data-decision-id="${waiting}"]`).waitFor();
    await page.keyboard.press('a');
    await page.keyboard.press('d');
    await page.waitForTimeout(500);
    assert.equal((await decisionOf(waiting)).status, 'pending');
    await settle([waiting]);
    assert.deepEqual(pageErrors, []);
  });

  test("a coding agent's edit shows its full context: the diff coloured, the session, the tool, the policy line, folded when long", async () => {
    const coder = bearer(await suite.hub.mint('coder'));
    const oldLines = Array.from({ length: 20 }, (_, i) => `const line${i} = ${i};`).join('\n');
    const newLines = oldLines.replace('const line7 = 7;', 'const line7 = sum(items);');
    const hook = suite.hub.post(
      '/integrations/claude-code/hooks',
      { session_id: 'triage-session-1', cwd: '/home/ann/shop', hook_event_name: 'PreToolUse', tool_name: 'Edit', tool_input: { file_path: '/home/ann/shop/src/cart.ts', old_string: oldLines, new_string: newLines } },
      coder,
    );
    const { page, pageErrors } = await openInbox(operatorToken);
    const id = await eventually('the edit in the inbox', async () => (await suite.hub.get('/decisions?status=pending')).body.decisions.find((d: { tool: string | null }) => d.tool === 'Edit') as { id: string; agentId: string } | undefined);
    const card = page.locator(`mc-decision-card[data-decision-id="${id.id}"]`);
    await card.waitFor();
    assert.equal(await card.getByTestId('decision-tool').innerText(), 'Edit');
    assert.equal(await card.getByTestId('decision-agent').getAttribute('href'), `#/agents/${id.agentId}`);
    const context = card.getByTestId('decision-context');
    assert.match(await context.innerText(), /session triage-session-1 in \/home\/ann\/shop wants to change \/home\/ann\/shop\/src\/cart\.ts/);
    assert.equal((await card.locator('pre span.added').allInnerTexts()).map((t) => t.trim()).join('|'), '+const line7 = sum(items);');
    assert.equal((await card.locator('pre span.removed').allInnerTexts()).map((t) => t.trim()).join('|'), '-const line7 = 7;');
    const [added, plain] = await Promise.all([card.locator('pre span.added').evaluate((s) => getComputedStyle(s).color), card.locator('pre span.text').first().evaluate((s) => getComputedStyle(s).color)]);
    assert.notEqual(added, plain, 'added lines are coloured');
    assert.match(await card.locator('pre span.policy').innerText(), /^Policy: rule /);

    // Long: folded to its first lines until asked.
    const toggle = card.getByTestId('decision-context-toggle');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    const folded = await context.evaluate((pre) => pre.clientHeight);
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok((await context.evaluate((pre) => pre.clientHeight)) > folded, 'unfolded, the whole context shows');

    await card.getByTestId('decision-approve').click();
    assert.equal((await hook).body.hookSpecificOutput.permissionDecision, 'allow');
    assert.deepEqual(pageErrors, []);
  });
});

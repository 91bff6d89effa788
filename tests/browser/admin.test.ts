// In a real Chromium: the admin view. Tokens minted (the secret shown once) and revoked after a
// confirmation; people, webhooks and runners as the API answers them; the policy rules with how
// often each fired and a fired rule linked to its decision; and none of it for an operator.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { bearer } from '../helpers/hub.ts';
import { until } from '../helpers/until.ts';
import { browserSuite, eventually, noChromium } from './chromium.ts';

const suite = browserSuite({
  people: { ann: { ntfy: 'http://127.0.0.1:9/ann-topic' }, bob: {} },
  policies: { rules: [{ name: 'no-curl', match: { tool: 'Bash', command: String.raw`\bcurl\b` }, verdict: 'deny', message: 'no network from agents' }], shipped: true },
  codingAgents: { decisionWaitSec: 60 },
});
let admin: Record<string, string>;

before(async () => {
  if (noChromium) return;
  await suite.ready();
  admin = bearer(suite.hub.adminToken);
});

const openAdmin = async (section: string, viewport?: { width: number; height: number }) => {
  const dashboard = await suite.dashboards.open(suite.browser, suite.hub.url, suite.hub.adminToken, { route: `#/admin/${section}`, ...(viewport ? { viewport } : {}) });
  await dashboard.page.getByTestId(`admin-${section}`).waitFor();
  return dashboard;
};
const rowTexts = (page: Page, testid: string) => page.getByTestId(testid).allInnerTexts();

describe('the admin view', () => {
  test('mints a token whose secret is shown once and works, and revokes one after a confirmation', { skip: noChromium }, async () => {
    const { page, pageErrors } = await openAdmin('tokens');
    await page.getByTestId('nav-admin').waitFor();

    // A refusal of the hub is shown with its detail, and mints nothing.
    const before = (await suite.hub.get('/tokens', admin)).body.tokens.length;
    await page.getByTestId('mint-role').selectOption('viewer');
    await page.getByTestId('mint-person').fill('Not A Person!');
    await page.getByTestId('mint-submit').click();
    assert.match(await page.getByTestId('token-error').innerText(), /person/);
    assert.equal((await suite.hub.get('/tokens', admin)).body.tokens.length, before);

    await page.getByTestId('mint-person').fill('');
    await page.getByTestId('mint-name').fill('night shift');
    await page.getByTestId('mint-submit').click();
    const secret = await page.getByTestId('mint-secret').innerText();
    assert.match(secret, /^mc_[A-Za-z0-9_-]{43}$/);
    const who = await suite.hub.get('/whoami', bearer(secret));
    assert.deepEqual([who.status, who.body.role, who.body.name], [200, 'viewer', 'night shift']);
    const row = page.locator('[data-testid="token-row"]', { hasText: 'night shift' });
    await row.waitFor();
    assert.equal(await row.getAttribute('data-token-id'), who.body.tokenId);
    // Shown once: gone on Done, and in no storage of the page.
    await page.getByTestId('mint-done').click();
    await page.getByTestId('mint-secret').waitFor({ state: 'detached' });
    const stored = await page.evaluate(() => JSON.stringify([{ ...sessionStorage }, { ...localStorage }]));
    assert.ok(!stored.includes(secret), 'the secret is kept in no storage');

    // Revoking asks first: Cancel changes nothing; Revoke takes it off the list and the hub refuses it.
    await row.getByTestId('token-revoke').click();
    await page.getByTestId('token-revoke-dialog-cancel').click();
    assert.equal((await suite.hub.get('/whoami', bearer(secret))).status, 200);
    await row.getByTestId('token-revoke').click();
    assert.match(await page.locator('mc-admin-tokens mc-confirm-dialog p').innerText(), /night shift \(viewer\) stops working/);
    await page.getByTestId('token-revoke-dialog-confirm').click();
    await row.waitFor({ state: 'detached' });
    const listed = (await suite.hub.get('/tokens', admin)).body.tokens.find((t: { id: string }) => t.id === who.body.tokenId);
    assert.ok(listed.revokedAt, 'the API lists it revoked');
    await until('the hub refuses it', async () => ((await suite.hub.get('/whoami', bearer(secret))).status === 401 ? true : undefined));
    await page.getByTestId('tokens-show-revoked').check();
    assert.match(await row.innerText(), /revoked/);
    // The signed-in token itself is not offered for revoking.
    assert.match((await rowTexts(page, 'token-row')).join('\n'), /this session/);
    assert.deepEqual(pageErrors, []);
  });

  test('people, webhooks and runners show what the API answers', { skip: noChromium }, async () => {
    const created = await suite.hub.post('/webhooks', { url: 'http://127.0.0.1:9/hook', types: ['x.admin_view'], description: 'audit sink' }, admin);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await suite.hub.post('/events', { type: 'x.admin_view', data: { n: 1 } }, admin)).status, 201);
    const runner = bearer(await suite.hub.mint('runner'));
    assert.equal((await suite.hub.post('/runners', { name: 'build-box-1', labels: { os: 'linux', gpu: 'true' }, capacity: 4, templates: ['fixer'], agents: [] }, runner)).status, 200);
    const deliveries = await until('a delivery attempted', async () => {
      const list = (await suite.hub.get(`/webhooks/${created.body.id}/deliveries`, admin)).body.deliveries;
      return list.length > 0 && list[0].attempts > 0 ? list : undefined;
    });

    const { page, pageErrors } = await openAdmin('people');
    const people = (await suite.hub.get('/people', admin)).body.people as Array<{ name: string; contactPoints: Array<{ id: string; address: string }> }>;
    const point = page.locator(`[data-testid="contact-point"][data-id="${people[0]!.contactPoints[0]!.id}"]`);
    assert.match(await point.innerText(), /ntfy\s+http:\/\/127\.0\.0\.1:9\/…/);
    assert.match(await page.getByTestId('admin-people').innerText(), /bob\s+No contact point/);

    await page.getByTestId('admin-tab-webhooks').click();
    const hook = page.locator(`[data-testid="webhook"][data-webhook-id="${created.body.id}"]`);
    await hook.waitFor();
    assert.match(await hook.innerText(), /http:\/\/127\.0\.0\.1:9\/hook[\s\S]*audit sink[\s\S]*x\.admin_view/);
    const delivery = hook.getByTestId('delivery').first();
    // A retry may land between the two reads: then the page is read again.
    const shown = await eventually('the delivery as the API has it', async () => {
      const text = await delivery.innerText();
      const [latest] = (await suite.hub.get(`/webhooks/${created.body.id}/deliveries`, admin)).body.deliveries;
      const state = { delivered: 'ok', failed: 'failed', pending: 'pending' }[latest.status as string];
      if ((await delivery.getAttribute('data-status')) === state && text.includes(`\t${latest.attempts}\t`) && text.endsWith(latest.lastError ?? '–')) return text;
      await page.reload();
      await hook.waitFor();
      return undefined;
    });
    assert.match(shown, new RegExp(`x\\.admin_view #${deliveries[0].seq}`));
    assert.match(shown, /could not be reached/, 'the last error is shown');

    await page.getByTestId('admin-tab-runners').click();
    const [listed] = (await suite.hub.get('/runners', admin)).body.runners as Array<{ id: string; load: number; capacity: number }>;
    const row = page.locator(`[data-testid="runner"][data-runner-id="${listed!.id}"]`);
    assert.match(await row.innerText(), /build-box-1[\s\S]*online[\s\S]*os=linux gpu=true[\s\S]*fixer/);
    assert.equal(await row.getByTestId('runner-load').innerText(), `${listed!.load} / ${listed!.capacity}`);
    assert.deepEqual(pageErrors, []);
  });

  test('the policies section lists the rules in order, how often each fired, and a fired rule linked to its decision', { skip: noChromium }, async () => {
    const before = await openAdmin('policies');
    await before.page.getByTestId('verdicts-empty').waitFor();
    const coder = bearer(await suite.hub.mint('coder'));
    const recorded = JSON.parse(readFileSync(new URL('../fixtures/claude-code/PreToolUse.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const hook = (command: string) => suite.hub.post('/integrations/claude-code/hooks', { ...recorded, session_id: 'admin-view-1', tool_name: 'Bash', tool_input: { command } }, coder);
    assert.equal((await hook('git status')).status, 200);
    assert.equal((await hook('curl https://example.com')).status, 200);
    const waiting = hook('make deploy');
    const decision = await until('the decision', async () => (await suite.hub.get('/decisions?status=pending')).body.decisions.find((d: { agentId: string }) => d.agentId === 'cc-admin-view-1'));

    const { page, pageErrors } = await openAdmin('policies', { width: 390, height: 844 });
    const rules = (await suite.hub.get('/policies', admin)).body.rules as Array<{ name: string }>;
    await page.locator('[data-testid="policy-rule"][data-rule="force-push"]').waitFor();
    const shownRules = await page.getByTestId('policy-rule').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-rule')));
    assert.deepEqual(shownRules, [...rules.map((r) => r.name), 'unmatched']);
    const fired = async (rule: string) => page.locator(`[data-testid="policy-rule"][data-rule="${rule}"]`).getByTestId('policy-fired').innerText();
    assert.deepEqual([await fired('no-curl'), await fired('read-only-commands'), await fired('unmatched'), await fired('force-push')], ['1', '1', '1', '0']);

    const agent = page.locator('[data-testid="verdict"][data-rule="unmatched"]').getByTestId('verdict-agent');
    assert.equal(await agent.getAttribute('href'), '#/agents/cc-admin-view-1', 'the agent of a verdict links to its page');
    const link = page.locator('[data-testid="verdict"][data-rule="unmatched"]').getByTestId('verdict-decision-link');
    assert.equal(await link.getAttribute('href'), `#/inbox/${decision.id}`);
    await link.click();
    await page.locator(`[data-testid="decision-card"][data-decision-id="${decision.id}"]`).first().waitFor();
    // At phone width the view fits: nothing but the tables scrolls sideways.
    await page.goto(`${suite.hub.url}/#/admin/policies`);
    await page.getByTestId('admin-policies').waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'the page does not scroll sideways at 390 px');

    assert.equal((await suite.hub.post(`/decisions/${decision.id}/resolve`, { outcome: 'deny' })).status, 200);
    await waiting;
    assert.deepEqual(pageErrors, []);
  });

  test("an operator's dashboard has no Admin entry, and #/admin says it is for admins only", { skip: noChromium }, async () => {
    const { page, pageErrors } = await suite.dashboards.open(suite.browser, suite.hub.url, await suite.hub.mint('operator'), { route: '#/admin/tokens' });
    assert.match(await page.getByTestId('admin-only').innerText(), /admins only/);
    await page.getByTestId('nav-feed').waitFor();
    assert.equal(await page.getByTestId('nav-admin').count(), 0);
    assert.equal(await page.getByTestId('mint-form').count(), 0);
    assert.deepEqual(pageErrors, []);
  });
});

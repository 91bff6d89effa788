// Seeds a hub with a realistic day (agents in every state, a busy board, decisions of each risk,
// the healer's work) and photographs each view. Under `npm test` the PNGs go to a temp dir and are
// thrown away; `MC_SCREENSHOTS=docs node --import tsx --test tests/browser/screenshots.test.ts`
// writes the ones the README shows.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { ensureDashboard } from '../../server/dashboard/build.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { ask, bearer } from '../helpers/decisions.ts';
import { type Answer, type TestHub, postJson, testHealerSecret, testHub } from '../helpers/hub.ts';
import { eventsOf, eventually, goTo, launchChromium, noChromium, openDashboard } from './chromium.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => ({ command: process.execPath, args: ['--import', 'tsx', `tests/fixtures/agents/${name}.ts`], cwd: repoRoot });
const keep = process.env.MC_SCREENSHOTS;

let database: TestDatabase;
let hub: TestHub;
let browser: Browser;
let outDir: string;
let operatorToken: string;

before(async () => {
  if (noChromium) return;
  await ensureDashboard(() => undefined);
  outDir = keep ? path.resolve(repoRoot, keep) : mkdtempSync(path.join(tmpdir(), 'mc-screenshots-'));
  mkdirSync(outDir, { recursive: true });
  database = await testDatabase();
  hub = await testHub(database.url, {
    templates: { 'nightly-import': fixture('crasher'), 'log-summarizer': fixture('chatty') },
    agents: { staleAfterMs: 3_600_000 },
  });
  operatorToken = ok(await postJson(`${hub.url}/tokens`, { role: 'operator', name: 'sam' }, bearer(hub.adminToken))).token;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  const pids = hub ? (await eventsOf(hub.url, hub.auth, { types: 'agent.spawned' })).map((e) => e.data.pid as number) : [];
  await hub?.close();
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL'); // both end by themselves; one left by a failed test does not outlive it
    } catch {
      // Already gone.
    }
  }
  await database?.drop();
  if (outDir && !keep) rmSync(outDir, { recursive: true, force: true });
});

function ok(res: Answer, status = 201): any {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body;
}

/** Sends a healer callback signed like the healer does (Standard Webhooks, the test hub's secret). */
async function healerCallback(message: { type: string; data: Record<string, unknown> }): Promise<any> {
  const id = `msg_${randomBytes(8).toString('hex')}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const { logId } = (await (await fetch(`${hub.url}/versionz`)).json()) as { logId: string };
  const body = JSON.stringify({ ...message, logId });
  const key = Buffer.from(testHealerSecret.slice('whsec_'.length), 'base64');
  const signature = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
  const res = await fetch(`${hub.url}/healer/callbacks`, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature }, body });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

/** An agent the hub did not start: registered by its first heartbeat, then reporting model runs. */
async function externalAgent(id: string, name: string, runs: number[]): Promise<Record<string, string>> {
  const auth = bearer(await hub.mint('agent', id));
  ok(await hub.post(`/agents/${id}/heartbeat`, { name }, auth), 200);
  for (const costUsd of runs) {
    ok(await hub.post('/events', { type: 'run.started', data: { model: 'claude-sonnet-4', estimatedCostUsd: costUsd } }, auth));
    ok(await hub.post('/events', { type: 'run.completed', data: { model: 'claude-sonnet-4', tokensIn: Math.round(costUsd * 90_000), tokensOut: Math.round(costUsd * 12_000), costUsd } }, auth));
  }
  return auth;
}

async function statusOf(agentId: string): Promise<string> {
  return (await hub.get(`/agents/${agentId}`)).body.status;
}

async function seed(): Promise<void> {
  const operator = hub.auth;
  const ann = bearer(ok(await postJson(`${hub.url}/tokens`, { role: 'operator', name: 'ann' }, bearer(hub.adminToken))).token);

  // Spawned agents: one floods its output and exits, one crashes.
  const summarizer = ok(await hub.post('/spawn', { template: 'log-summarizer', name: 'log-summarizer' }), 202).agentId as string;
  await eventually('the summarizer to exit', async () => ((await statusOf(summarizer)) === 'exited' ? true : undefined), 60_000);
  const importer = ok(await hub.post('/spawn', { template: 'nightly-import', name: 'nightly-import' }), 202).agentId as string;
  await eventually('the importer to fail', async () => ((await statusOf(importer)) === 'failed' ? true : undefined), 60_000);

  // Agents that registered themselves, with some spend; one is paused by an operator.
  const auth = await externalAgent('agt_claude_auth', 'claude · session refactor', [0.42, 1.35, 0.88]);
  await externalAgent('agt_codex_docs', 'codex · API docs sweep', [0.21, 0.19]);
  await externalAgent('agt_claude_ci', 'claude · flaky checkout test', [2.4, 3.1, 2.9]);
  ok(await hub.post('/agents/agt_claude_ci/pause', { reason: 'operator' }), 200);
  const fetcher = await externalAgent('agt_mirror_sync', 'mirror-sync', [0.05]);
  const transient = ok(await hub.post('/events', { type: 'agent.failed', data: { code: 1, error: 'exited with code 1', stderrTail: ['fetching the repository', 'Error: read ECONNRESET'] } }, fetcher));

  // One asks before it touches production, and waits.
  const migrator = await externalAgent('agt_claude_billing', 'claude · billing schema v7', [1.9, 2.7]);
  const migration = await ask(
    hub,
    {
      title: 'Apply migration 0042_billing_v7 to production?',
      risk: 'high',
      context: 'ALTER TABLE invoices ADD COLUMN tax_region text;\nUPDATE invoices SET tax_region = customers.region FROM customers WHERE ...;\n-- about 2.3 M rows; takes a lock on invoices for ~40 s.',
    },
    migrator,
  );

  // A board with work in every column.
  const task = async (title: string, priority: string, labels: string[], moves: string[], agentId?: string) => {
    const id = ok(await hub.post('/tasks', { title, priority, labels, ...(agentId ? { agentId } : {}) })).id as string;
    for (const to of moves) ok(await hub.post(`/tasks/${id}/transition`, { to, ...(to === 'blocked' ? { reason: 'waiting on the staging database' } : {}) }), 200);
    return id;
  };
  const billing = await task('Migrate the billing schema to v7', 'high', ['db', 'billing'], ['in_progress'], 'agt_claude_billing');
  await task('Refactor the session middleware', 'normal', ['auth'], ['in_progress'], 'agt_claude_auth');
  await task('Fix the flaky checkout test', 'urgent', ['ci'], ['in_progress', 'blocked'], 'agt_claude_ci');
  await task('Update the API reference for /spawn', 'low', ['docs'], ['in_progress', 'review'], 'agt_codex_docs');
  await task('Import the nightly CSV exports', 'normal', ['data'], []);
  const lodash = await task('Bump lodash across three services', 'low', ['deps'], []);
  await task('Rotate the staging credentials', 'high', ['security'], ['in_progress', 'review', 'done']);
  await task('Add rate-limit metrics', 'normal', ['ops'], ['in_progress', 'review', 'done']);

  // Decisions of every risk, pending and settled.
  await ask(hub, { title: 'Regenerate the lockfile?', risk: 'low' });
  await ask(hub, { title: 'Pause the nightly import for a day?', risk: 'medium', expiresInSec: 1 });
  const forcePush = await ask(hub, { title: 'Force-push the release branch?', risk: 'high', context: 'git push --force origin release/2.4' }, auth);
  ok(await hub.post(`/decisions/${forcePush.id}/resolve`, { outcome: 'deny', comment: 'No: open a pull request instead.' }), 200);
  await ask(hub, { title: 'Bump lodash to 4.17.21 in three services?', risk: 'medium', taskId: lodash, context: 'checkout, billing and search pin lodash 4.17.15 (CVE-2020-8203).' });
  const drop = await ask(hub, {
    title: 'Drop the legacy_users table in production?',
    risk: 'red',
    taskId: billing,
    context: 'DROP TABLE legacy_users;\n-- 1,204,331 rows, last written 2023-11-02.\n-- A backup was taken at 03:00 UTC (s3://backups/prod/2024-06-11).',
    onTimeout: 'deny',
  });
  ok(await hub.post(`/decisions/${drop.id}/resolve`, { outcome: 'approve', comment: 'Backup verified.' }, ann), 200);

  // The healer's work: a transient crash fixed by a respawn, a failure nobody knows escalated.
  const importFailure = (await eventsOf(hub.url, operator, { types: 'agent.failed', agent: importer }))[0]!;
  await healerCallback({ type: 'heal.completed', data: { failureEventId: transient.id, playbook: 'transient-crash', action: 'respawn', attempts: 1 } });
  await healerCallback({ type: 'heal.escalated', data: { failureEventId: importFailure.id, reason: 'no playbook matched "database password rejected"', attempts: 0 } });

  await eventually('the medium decision to expire', async () => ((await hub.get('/decisions?status=expired')).body.decisions.length > 0 ? true : undefined), 30_000);
  assert.equal(await statusOf('agt_claude_billing'), 'awaiting_decision', `waiting on ${migration.id}`);
}

/** The PNG's size, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${file} is a PNG`);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function shoot(page: Page, name: string): Promise<void> {
  assert.equal(await page.getByTestId('login-form').count(), 0, 'signed in, not the login form');
  // Relative times and the stream settle; no animation is captured halfway.
  await page.waitForTimeout(300);
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  const size = page.viewportSize()!;
  assert.deepEqual(pngSize(file), size);
}

describe('screenshots of each view', () => {
  test('a seeded hub photographed at 1280×800, and the inbox at phone width', { skip: noChromium }, async (t) => {
    await seed();
    const { page, pageErrors, close } = await openDashboard(browser, hub.url, operatorToken);

    await goTo(page, 'feed');
    await page.getByTestId('feed-row').first().waitFor();
    await shoot(page, 'dashboard-feed');

    await goTo(page, 'agents');
    await eventually('seven agents', async () => ((await page.getByTestId('agent-row').count()) >= 7 ? true : undefined));
    for (const status of ['running', 'paused', 'awaiting decision', 'failed', 'exited']) assert.ok(await page.getByTestId('agent-status').filter({ hasText: status }).count(), status);
    await shoot(page, 'dashboard-agents');

    await goTo(page, 'tasks');
    await eventually('eight tasks', async () => ((await page.getByTestId('task-card').count()) === 8 ? true : undefined));
    await shoot(page, 'dashboard-tasks');

    await goTo(page, 'inbox');
    await page.locator('[data-testid="decision-card"] [data-testid="decision-risk"]', { hasText: 'red' }).waitFor();
    assert.equal(await page.getByTestId('decision-card').count(), 4, 'the migration, lodash, the red drop, the escalation');
    assert.match(await page.getByTestId('decision-approvals').first().innerText(), /1 of 2 approvals \(ann\)/);
    assert.match(await page.getByTestId('whoami').innerText(), /sam/);
    assert.doesNotMatch((await page.getByTestId('decision-asker').allInnerTexts()).join(' '), /tok_/, 'people by name, not token id');
    assert.equal(await page.getByTestId('decision-history-item').count(), 3, 'approved by policy, denied, expired');
    await shoot(page, 'dashboard-inbox');

    await goTo(page, 'healer');
    await eventually('two heals', async () => ((await page.getByTestId('heal-item').count()) === 2 ? true : undefined));
    await shoot(page, 'dashboard-healer');
    await close();

    const phone = await openDashboard(browser, hub.url, operatorToken, { route: '#/inbox', viewport: { width: 390, height: 844 } });
    await phone.page.getByTestId('decision-card').first().waitFor();
    await shoot(phone.page, 'dashboard-inbox-phone');
    await phone.close();

    assert.deepEqual([...pageErrors, ...phone.pageErrors], []);
    t.diagnostic(`screenshots in ${outDir}${keep ? '' : ' (removed after the test; MC_SCREENSHOTS=docs keeps them)'}`);
  });
});

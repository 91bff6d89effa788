// Seeds a hub with an operator's ordinary day (agents in every state, a failed and a stale one,
// spend over the week, a busy board, decisions of each risk with a red one half approved, a coding
// agent's edit, the healer's work) and photographs every view at 1280×800 and at 390×844. Each
// shot first waits for the view's own content, so a blank or broken view fails the test. Under
// `npm test` the PNGs go to a temp dir and are thrown away;
// `MC_SCREENSHOTS=docs node --import tsx --test tests/browser/screenshots.test.ts` writes the ones
// the README shows, as docs/<view>.png and docs/<view>-phone.png.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { ensureDashboard } from '../../server/dashboard/build.ts';
import { newEvent } from '../../server/log/new-event.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { ask, bearer } from '../helpers/decisions.ts';
import { healerCallback } from '../helpers/healer-callback.ts';
import { type Answer, type TestHub, postJson, testHub } from '../helpers/hub.ts';
import { type Dashboard, eventsOf, eventually, launchChromium, noChromium, openDashboard } from './chromium.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => ({ command: process.execPath, args: ['--import', 'tsx', `tests/fixtures/agents/${name}.ts`], cwd: repoRoot });
const keep = process.env.MC_SCREENSHOTS;
const ESC = '\x1b';
const desktop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };

let database: TestDatabase;
let hub: TestHub;
let browser: Browser;
let outDir: string;
let operatorToken: string;
/** Every dashboard opened, by `sam` (an operator) or the admin, closed at the end; all must end without a page error. */
const opened: Dashboard[] = [];
/** The coding agent's hook waits on its decision until the test answers it (or gives up on it). */
const hookWait = new AbortController();
let hook: Promise<Response> | undefined;
const seeded = { billingTask: '', billingAgent: 'agt_claude_billing', editDecision: '' };

before(async () => {
  if (noChromium) return;
  await ensureDashboard(() => undefined);
  outDir = keep ? path.resolve(repoRoot, keep) : mkdtempSync(path.join(tmpdir(), 'mc-screenshots-'));
  mkdirSync(outDir, { recursive: true });
  database = await testDatabase();
  hub = await testHub(database.url, {
    templates: { 'nightly-import': fixture('crasher'), 'log-summarizer': fixture('chatty') },
    agents: { staleAfterMs: 3_600_000 },
    people: { sam: {}, ann: { ntfy: 'http://127.0.0.1:9/ann-topic' } },
    codingAgents: { decisionWaitSec: 600 },
  });
  operatorToken = ok(await postJson(`${hub.url}/tokens`, { role: 'operator', name: 'sam' }, bearer(hub.adminToken))).token;
  browser = await launchChromium();
  await seed();
});
after(async () => {
  hookWait.abort();
  await hook?.catch(() => undefined);
  for (const dashboard of opened) await dashboard.close();
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

const utcDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

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

/** What the billing migrator printed: a dry run, coloured as a terminal shows it. */
function migrationOutput(): Array<{ stream: 'stdout' | 'stderr'; line: string }> {
  const out = (line: string) => ({ stream: 'stdout' as const, line });
  const lines: Array<{ stream: 'stdout' | 'stderr'; line: string }> = [
    out(`${ESC}[1m$ npm run migrate -- --dry-run --target 0042_billing_v7${ESC}[0m`),
    out(`${ESC}[90m> billing@7.0.0-rc.2 migrate${ESC}[0m`),
    out('connecting to postgres://billing-staging:5432/billing'),
  ];
  for (let n = 31; n <= 41; n++) lines.push(out(`${ESC}[32m✓${ESC}[0m 00${n}_${['invoices', 'customers', 'tax_rates', 'refunds'][n % 4]} ${ESC}[90malready applied${ESC}[0m`));
  lines.push(
    out(`${ESC}[36m→${ESC}[0m 0042_billing_v7: ALTER TABLE invoices ADD COLUMN tax_region text`),
    out(`${ESC}[36m→${ESC}[0m 0042_billing_v7: UPDATE invoices SET tax_region = customers.region ...`),
    out(`${ESC}[33mwarn${ESC}[0m 0042_billing_v7 takes an ACCESS EXCLUSIVE lock on invoices (~40 s at 2.3 M rows)`),
    { stream: 'stderr', line: `${ESC}[1;31merror${ESC}[0m staging replica lag 12 s during the dry run; the lock would hold writes` },
    out(`${ESC}[32m✓${ESC}[0m dry run on staging: 2,301,477 rows updated in 38.2 s`),
    out(`${ESC}[32m✓${ESC}[0m test/billing/tax-region.spec.ts ${ESC}[90m(14 tests)${ESC}[0m 1.9 s`),
    out(`${ESC}[32m✓${ESC}[0m test/billing/invoice-totals.spec.ts ${ESC}[90m(31 tests)${ESC}[0m 3.4 s`),
    out(`${ESC}[1mready to apply to production${ESC}[0m: asking before taking the lock`),
  );
  return lines;
}

/** A hook call from a Claude Code session in the shop repository, as the coder token `coder` sends it. */
function claudeCodeHook(coder: string, toolName: string, toolInput: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  return fetch(`${hub.url}/integrations/claude-code/hooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(coder) },
    ...(signal ? { signal } : {}),
    body: JSON.stringify({ session_id: 'checkout-retry-7f3a', cwd: '/home/ann/shop', hook_event_name: 'PreToolUse', tool_name: toolName, tool_input: toolInput }),
  });
}

async function seed(): Promise<void> {
  // What people do is done as sam and ann, so every view shows them by name.
  const sam = bearer(operatorToken);
  const ann = bearer(ok(await postJson(`${hub.url}/tokens`, { role: 'operator', name: 'ann' }, bearer(hub.adminToken))).token);

  // The week so far, first in the log: the hub's spend on each of the six days before today.
  for (const [back, spentUsd] of [[6, 41.2], [5, 63.75], [4, 28.4], [3, 71.9], [2, 55.3], [1, 84.15]] as const) {
    ok(await hub.post('/budgets/correct', { scope: 'global', scopeId: utcDay(-back), spentUsd, reason: 'the week so far' }, sam), 200);
  }

  // Spawned agents: one floods its output and exits, one crashes.
  const summarizer = ok(await hub.post('/spawn', { template: 'log-summarizer', name: 'log-summarizer' }, sam), 202).agentId as string;
  const importer = ok(await hub.post('/spawn', { template: 'nightly-import', name: 'nightly-import' }, sam), 202).agentId as string;

  // A fleet of workers, most busy; some spent a little today.
  const workers: Array<Record<string, string>> = [];
  for (let i = 1; i <= 6; i++) workers.push(await externalAgent(`agt_worker_${i}`, `worker-${String(i).padStart(2, '0')} · test shard ${i}`, i % 2 === 0 ? [1.1, 0.9 + i / 10] : [0.35]));
  // Agents that registered themselves, with some spend; one is paused by an operator.
  const auth = await externalAgent('agt_claude_auth', 'claude · session refactor', [0.42, 1.35, 0.88, 2.1]);
  const docs = await externalAgent('agt_codex_docs', 'codex · API docs sweep', [0.21, 0.19]);
  await externalAgent('agt_claude_ci', 'claude · flaky checkout test', [2.4, 3.1, 2.9]);
  ok(await hub.post('/agents/agt_claude_ci/pause', { reason: 'operator' }, sam), 200);
  const fetcher = await externalAgent('agt_mirror_sync', 'mirror-sync', [0.05]);
  const transient = ok(await hub.post('/events', { type: 'agent.failed', data: { code: 1, error: 'exited with code 1', stderrTail: ['fetching the repository', 'Error: read ECONNRESET'] } }, fetcher));
  // One went silent: its heartbeats stopped an hour ago.
  await externalAgent('agt_search_reindex', 'search-reindex', [0.6]);
  await hub.appender.append([newEvent({ type: 'agent.stale', data: { lastSeenAt: new Date(Date.now() - 3_900_000).toISOString() }, actor: 'hub', agentId: 'agt_search_reindex' })]);

  // One asks before it touches production, and waits; its terminal shows why.
  const migrator = await externalAgent(seeded.billingAgent, 'claude · billing schema v7', [1.9, 2.7, 3.35]);
  ok(await hub.post('/events', { events: migrationOutput().map((data) => ({ type: 'agent.output', data })) }, migrator));

  // A board with work in every column.
  const task = async (title: string, priority: string, labels: string[], moves: string[], agentId?: string, description?: string) => {
    const id = ok(await hub.post('/tasks', { title, priority, labels, ...(agentId ? { agentId } : {}), ...(description ? { description } : {}) }, sam)).id as string;
    for (const to of moves) ok(await hub.post(`/tasks/${id}/transition`, { to, ...(to === 'blocked' ? { reason: 'waiting on the staging database' } : {}) }, sam), 200);
    return id;
  };
  seeded.billingTask = await task('Migrate the billing schema to v7', 'high', ['db', 'billing'], ['in_progress', 'blocked', 'in_progress'], seeded.billingAgent, 'Add tax_region to invoices and backfill it from customers, then drop the legacy_users table the v6 importer left behind. Production only after a dry run on staging and a verified backup.');
  const migration = await ask(
    hub,
    {
      title: 'Apply migration 0042_billing_v7 to production?',
      risk: 'high',
      taskId: seeded.billingTask,
      context: 'ALTER TABLE invoices ADD COLUMN tax_region text;\nUPDATE invoices SET tax_region = customers.region FROM customers WHERE ...;\n-- about 2.3 M rows; takes a lock on invoices for ~40 s.',
    },
    migrator,
  );
  await task('Refactor the session middleware', 'normal', ['auth'], ['in_progress'], 'agt_claude_auth');
  await task('Fix the flaky checkout test', 'urgent', ['ci'], ['in_progress', 'blocked'], 'agt_claude_ci');
  await task('Update the API reference for /spawn', 'low', ['docs'], ['in_progress', 'review'], 'agt_codex_docs');
  await task('Import the nightly CSV exports', 'normal', ['data'], []);
  const lodash = await task('Bump lodash across three services', 'low', ['deps'], [], 'agt_worker_4');
  await task('Rotate the staging credentials', 'high', ['security'], ['in_progress', 'review', 'done']);
  await task('Add rate-limit metrics', 'normal', ['ops'], ['in_progress', 'review', 'done']);

  // Decisions of every risk, pending and settled.
  await ask(hub, { title: 'Regenerate the lockfile?', risk: 'low' }, docs);
  await ask(hub, { title: 'Pause the nightly import for a day?', risk: 'medium', expiresInSec: 1 }, sam);
  const forcePush = await ask(hub, { title: 'Force-push the release branch?', risk: 'high', context: 'git push --force origin release/2.4' }, auth);
  ok(await hub.post(`/decisions/${forcePush.id}/resolve`, { outcome: 'deny', comment: 'No: open a pull request instead.' }, sam), 200);
  await ask(hub, { title: 'Bump lodash to 4.17.21 in three services?', risk: 'medium', taskId: lodash, context: 'checkout, billing and search pin lodash 4.17.15 (CVE-2020-8203).' }, workers[3]);
  const drop = await ask(hub, {
    title: 'Drop the legacy_users table in production?',
    risk: 'red',
    taskId: seeded.billingTask,
    context: 'DROP TABLE legacy_users;\n-- 1,204,331 rows, last written 2023-11-02.\n-- A backup was taken at 03:00 UTC (s3://backups/prod/2024-06-11).',
    onTimeout: 'deny',
  }, migrator);
  ok(await hub.post(`/decisions/${drop.id}/resolve`, { outcome: 'approve', comment: 'Backup verified.' }, ann), 200);

  // A Claude Code session: reads and tests pass by policy; its edit is asked through the hook, which waits for the answer.
  const coder = ok(await postJson(`${hub.url}/tokens`, { role: 'coder', name: "ann's laptop" }, bearer(hub.adminToken))).token as string;
  for (const [tool, input] of [['Read', { file_path: '/home/ann/shop/src/checkout/retry.ts' }], ['Bash', { command: 'npm test -- checkout' }], ['Bash', { command: 'git diff --stat' }]] as const) {
    assert.equal((await claudeCodeHook(coder, tool, input)).status, 200);
  }
  hook = claudeCodeHook(
    coder,
    'Edit',
    { file_path: '/home/ann/shop/src/checkout/retry.ts', old_string: 'export const retries = 1;\nexport const timeoutMs = 2000;', new_string: 'export const retries = 3;\nexport const timeoutMs = 5000;\nexport const backoffMs = [200, 800, 3200];' },
    hookWait.signal,
  );
  hook.catch(() => undefined);
  seeded.editDecision = await eventually('the edit in the inbox', async () => (await hub.get('/decisions?status=pending')).body.decisions.find((d: { tool: string | null }) => d.tool === 'Edit')?.id as string | undefined);

  await eventually('the summarizer to exit', async () => ((await statusOf(summarizer)) === 'exited' ? true : undefined), 60_000);
  await eventually('the importer to fail', async () => ((await statusOf(importer)) === 'failed' ? true : undefined), 60_000);

  // The healer's work: a transient crash fixed by a respawn, a failure nobody knows escalated.
  const importFailure = (await eventsOf(hub.url, sam, { types: 'agent.failed', agent: importer }))[0]!;
  await healerCallback(hub.url, 'heal.completed', { failureEventId: transient.id, playbook: 'transient-crash', action: 'respawn', attempts: 1 });
  await healerCallback(hub.url, 'heal.escalated', { failureEventId: importFailure.id, reason: 'no playbook matched "database password rejected"', attempts: 0 });

  await eventually('the medium decision to expire', async () => ((await hub.get('/decisions?status=expired')).body.decisions.length > 0 ? true : undefined), 30_000);
  assert.equal(await statusOf(seeded.billingAgent), 'awaiting_decision', `waiting on ${migration.id}`);
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
  assert.deepEqual(pngSize(file), page.viewportSize());
}

const pages = new Map<string, Page>();
/** A dashboard at each width, signed in as `token` and kept open for the views that follow. */
async function pageFor(token: string, width: 'desktop' | 'phone'): Promise<Page> {
  const key = `${token}:${width}`;
  if (!pages.has(key)) {
    const dashboard = await openDashboard(browser, hub.url, token, { viewport: width === 'desktop' ? desktop : phone });
    opened.push(dashboard);
    pages.set(key, dashboard.page);
  }
  return pages.get(key)!;
}

/**
 * Opens `hash` at desktop and phone width, runs `shows` (which waits for and checks the view's key
 * content), and photographs it as `<name>.png` and `<name>-phone.png`.
 */
async function photograph(name: string, hash: string, shows: (page: Page) => Promise<void>, token = operatorToken): Promise<void> {
  for (const width of ['desktop', 'phone'] as const) {
    const page = await pageFor(token, width);
    await page.evaluate((h) => (location.hash = h), hash);
    await page.getByTestId(`view-${hash.split('/')[1]}`).waitFor();
    await shows(page);
    // The phone fits its width: nothing scrolls sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(width === 'desktop' || overflow <= 0, `${name} overflows the phone by ${overflow} px`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shoot(page, width === 'desktop' ? name : `${name}-phone`);
  }
}

const count = (page: Page, testid: string) => page.getByTestId(testid).count();
const atLeast = (page: Page, testid: string, n: number) => eventually(`${n} ${testid}`, async () => ((await count(page, testid)) >= n ? true : undefined));

describe('screenshots of every view, at desktop and phone width', { skip: noChromium }, () => {
  test('overview: decisions by risk, the fleet, spend against the budget, failures and heals', async () => {
    await photograph('overview', '#/overview', async (page) => {
      await page.getByTestId('overview').waitFor();
      await page.getByTestId('overview-heal').first().waitFor();
      assert.equal(await page.getByTestId('overview-risk-red').getAttribute('data-count'), '1');
      assert.ok(Number((await page.getByTestId('overview-agents-stale').innerText()).match(/\d+/)?.[0]) >= 1, 'the stale agent');
      assert.match(await page.getByTestId('overview-spend-today').innerText(), /^\$\d+\.\d\d\s+of \$100\.00 a day/);
    });
  });

  test('feed: the live log, failures standing out', async () => {
    await photograph('feed', '#/feed', async (page) => {
      await atLeast(page, 'feed-row', 10);
      await page.locator('[data-testid="feed-row"][aria-label$=", failure"]').first().waitFor();
    });
  });

  test('feed search: the whole log searched on the hub', async () => {
    await photograph('feed-search', '#/feed', async (page) => {
      await page.getByTestId('feed-search').fill('lodash');
      await page.getByTestId('feed-search').press('Enter');
      await page.getByTestId('feed-count').filter({ hasText: 'found' }).waitFor();
      await atLeast(page, 'feed-row', 2);
    });
    // Back to the live feed, for the views after this one.
    for (const width of ['desktop', 'phone'] as const) await (await pageFor(operatorToken, width)).getByTestId('feed-search-clear').click();
  });

  test('agents: every state, the failed and the stale ones marked', async () => {
    await photograph('agents', '#/agents', async (page) => {
      await atLeast(page, 'agent-row', 15);
      for (const status of ['running', 'paused', 'awaiting decision', 'failed', 'exited', 'stale']) assert.ok(await page.getByTestId('agent-status').filter({ hasText: status }).count(), status);
      // A waiting agent names the question it waits on, not its id.
      const waits = await page.getByTestId('agent-decision-link').allInnerTexts();
      assert.ok(waits.length > 0 && waits.every((text) => text.startsWith('waits on: ') && !text.includes('dec_')), JSON.stringify(waits));
    });
  });

  test("an agent's page: its terminal, the decision it waits on, its runs", async () => {
    await photograph('agent-page', `#/agents/${seeded.billingAgent}`, async (page) => {
      await page.getByTestId('agent-name').filter({ hasText: 'billing schema v7' }).waitFor();
      await page.getByTestId('agent-pending-decision').waitFor();
      await page.getByTestId('output-line').last().filter({ hasText: 'ready to apply to production' }).waitFor();
      await atLeast(page, 'agent-run', 3);
    });
  });

  test('tasks: the board, a column per state', async () => {
    await photograph('tasks', '#/tasks', async (page) => {
      await eventually('eight tasks', async () => ((await count(page, 'task-card')) === 8 ? true : undefined));
    });
  });

  test("a task's page: description, assignee, decisions and timeline", async () => {
    await photograph('task-page', `#/tasks/${seeded.billingTask}`, async (page) => {
      assert.equal(await page.getByTestId('task-detail-title').innerText(), 'Migrate the billing schema to v7');
      await page.getByTestId('task-description').waitFor();
      await atLeast(page, 'task-decision', 1);
      await atLeast(page, 'task-event', 2);
    });
  });

  test('inbox: by risk, a red one half approved, an edit with its diff', async () => {
    await photograph('inbox', '#/inbox', async (page) => {
      await page.locator('[data-testid="decision-card"] [data-testid="decision-risk"]', { hasText: 'red' }).waitFor();
      assert.equal(await count(page, 'decision-card'), 5, 'the migration, lodash, the red drop, the edit, the escalation');
      assert.match(await page.getByTestId('decision-approvals').first().innerText(), /1 of 2 approvals · first approved by ann/);
      assert.doesNotMatch((await page.getByTestId('decision-asker').allInnerTexts()).join(' '), /tok_/, 'people by name, not token id');
      const edit = page.locator(`mc-decision-card[data-decision-id="${seeded.editDecision}"]`);
      await edit.locator('pre span.added').first().waitFor();
      // At desktop width, the edit's diff unfolded, as an operator reads it before answering (on a
      // phone the click would scroll the red decision out of the picture).
      if (page.viewportSize()!.width > phone.width && (await edit.getByTestId('decision-context-toggle').getAttribute('aria-expanded')) === 'false') await edit.getByTestId('decision-context-toggle').click();
    });
  });

  test("healer: what it fixed and what it handed to people", async () => {
    await photograph('healer', '#/healer', async (page) => {
      await eventually('two heals', async () => ((await count(page, 'heal-item')) === 2 ? true : undefined));
    });
  });

  test('brief: the day in one page', async () => {
    await photograph('brief', '#/brief', async (page) => {
      await page.getByTestId('brief').waitFor();
      await page.getByTestId('brief-failed').filter({ hasText: 'ECONNRESET' }).or(page.getByTestId('brief-failed').filter({ hasText: 'exited' })).first().waitFor();
      await page.getByTestId('brief-waiting').getByTestId('brief-decision-link').first().waitFor();
    });
  });

  test('admin: the tokens, and the policy rules with the one that fired', async () => {
    await photograph('admin-tokens', '#/admin/tokens', async (page) => {
      await page.getByTestId('admin-tokens').waitFor();
      await page.locator('[data-testid="token-row"]', { hasText: "ann's laptop" }).waitFor();
    }, hub.adminToken);
    await photograph('admin-policies', '#/admin/policies', async (page) => {
      await atLeast(page, 'policy-rule', 2);
      await atLeast(page, 'verdict', 4);
    }, hub.adminToken);
  });

  test('no view threw, and the edit waiting in its hook is answered', async (t) => {
    assert.deepEqual(opened.flatMap((d) => d.pageErrors), []);
    ok(await hub.post(`/decisions/${seeded.editDecision}/resolve`, { outcome: 'approve' }), 200);
    assert.equal(((await (await hook!).json()) as any).hookSpecificOutput.permissionDecision, 'allow');
    t.diagnostic(`screenshots in ${outDir}${keep ? '' : ' (removed after the test; MC_SCREENSHOTS=docs keeps them)'}`);
  });
});

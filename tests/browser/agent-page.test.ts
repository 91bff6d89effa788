// In a real Chromium: an agent's page (#/agents/<id>). Its output as a terminal, from the newest
// line back to the first through pages of the log, coloured, with live lines at the bottom; pause
// from the page; a failed agent's error; a real workspace agent's commits and a merge asked from
// the page; links from the agents list and the feed. (Its screenshots are taken with the other
// views' in screenshots.test.ts.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { registeredAgent } from '../helpers/agents.ts';
import { bearer, postJson } from '../helpers/hub.ts';
import { browserSuite, eventually, goTo, noChromium } from './chromium.ts';

const ESC = '\x1b';
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'safe.directory=*', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

// A repository for the workspace agent, made before the hub starts (its agents' user reads it).
const dir = mkdtempSync(path.join(tmpdir(), 'mc-agent-page-test-'));
chmodSync(dir, 0o755);
const origin = (() => {
  const seed = path.join(dir, 'seed');
  mkdirSync(seed);
  git(seed, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(seed, 'README.md'), 'the shop\n');
  git(seed, 'add', 'README.md');
  git(seed, '-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-m', 'First');
  git(dir, 'clone', '-q', '--bare', seed, path.join(dir, 'shop.git'));
  return path.join(dir, 'shop.git');
})();
const commitTwice = [
  "const { execFileSync } = require('node:child_process'); const fs = require('node:fs');",
  "const git = (...a) => execFileSync('git', ['-c', 'user.name=fixer', '-c', 'user.email=fixer@agents.invalid', ...a], { cwd: process.env.MC_WORKSPACE, stdio: 'inherit' });",
  "fs.writeFileSync(process.env.MC_WORKSPACE + '/checkout.ts', 'export const retries = 3;\\nexport const timeoutMs = 5000;\\n'); git('add', 'checkout.ts'); git('commit', '-q', '-m', 'Retry the checkout call');",
  "fs.appendFileSync(process.env.MC_WORKSPACE + '/README.md', 'checkout retries 3 times\\n'); git('commit', '-q', '-am', 'Document the retries');",
  "console.log('\\x1b[32mdone\\x1b[0m: 2 commits');",
].join('\n');

const suite = browserSuite({
  templates: { fixer: { command: process.execPath, args: ['-e', commitTwice], workspace: { repo: origin, base: 'main' } } },
  runner: { workspacesDir: path.join(dir, 'workspaces'), worktreeRetentionSec: 0 },
});
let operatorToken: string;
const lines = 1500;
const terminalAgent = 'agt_terminal';

/** Line `n` as a chatty build prints it: some coloured, every hundredth an error on stderr. */
function lineText(n: number): { stream: 'stdout' | 'stderr'; line: string } {
  if (n % 100 === 0) return { stream: 'stderr', line: `${ESC}[1;31merror${ESC}[0m line ${n}: upstream timed out after 30 s, retrying (attempt 2 of 5)` };
  if (n % 7 === 0) return { stream: 'stdout', line: `${ESC}[32m✓${ESC}[0m line ${n}: ${ESC}[90mtest/checkout.spec.ts${ESC}[0m passes in ${(n % 90) + 4} ms` };
  if (n % 11 === 0) return { stream: 'stdout', line: `${ESC}[33mwarn${ESC}[0m line ${n}: slow query on invoices (${(n % 400) + 200} ms)` };
  return { stream: 'stdout', line: `line ${n}: processing order #${10_000 + n}${ESC}[2K` };
}

before(async () => {
  if (noChromium) return;
  await suite.ready();
  const { hub } = suite;
  const created = await postJson(`${hub.url}/tokens`, { role: 'operator', name: 'sam' }, bearer(hub.adminToken));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  operatorToken = created.body.token;
  // 1,500 output lines through POST /events, in batches, as the agent.
  const agent = await registeredAgent(hub, terminalAgent, { name: 'checkout-tests' });
  for (let from = 1; from <= lines; from += 500) {
    const events = Array.from({ length: 500 }, (_, i) => ({ type: 'agent.output', data: lineText(from + i) }));
    const res = await hub.post('/events', { events }, agent);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

const open = (route: string, viewport?: { width: number; height: number }) => suite.dashboards.open(suite.browser, suite.hub.url, operatorToken, { route, ...(viewport ? { viewport } : {}) });
const outputLines = (page: Page) => page.getByTestId('output-line');
const terminal = (page: Page) => page.getByTestId('output-terminal');
const distanceFromEnd = (page: Page) => terminal(page).evaluate((t) => t.scrollHeight - t.clientHeight - t.scrollTop);

async function statusOf(agentId: string): Promise<string> {
  return (await suite.hub.get(`/agents/${agentId}`)).body.status;
}

describe("an agent's page", { skip: noChromium }, () => {
  test('shows the newest line, colours, pages back to the first line, and takes live lines at the bottom', async () => {
    const { hub } = suite;
    const { page, pageErrors } = await open(`#/agents/${terminalAgent}`);
    await page.getByTestId('agent-name').filter({ hasText: 'checkout-tests' }).waitFor();
    await outputLines(page).last().filter({ hasText: `line ${lines}:` }).waitFor();
    assert.equal(await outputLines(page).count(), 200, 'the newest page');
    await eventually('the terminal at its end', async () => ((await distanceFromEnd(page)) <= 1 ? true : undefined));

    // The escapes became colours (and the ones that are not colours are gone).
    const error = outputLines(page).filter({ hasText: `line ${lines}:` });
    assert.equal(await error.getAttribute('data-stream'), 'stderr');
    assert.equal(await error.locator('.c31.b').innerText(), 'error');
    assert.equal(await error.locator('.c31').evaluate((span) => getComputedStyle(span).color), 'rgb(255, 107, 107)');
    assert.doesNotMatch(await terminal(page).innerText(), /\x1b|\[2K/);

    // Scrolling to the top reads the page before; "Load older" does too, back to the first line.
    await terminal(page).evaluate((t) => (t.scrollTop = 0));
    await eventually('an older page', async () => ((await outputLines(page).count()) > 200 ? true : undefined));
    await eventually('the first line', async () => {
      if ((await page.getByTestId('output-start').count()) > 0) return true;
      const older = page.getByTestId('output-load-older');
      if (await older.isEnabled()) await older.click();
      return undefined;
    }, 30_000);
    assert.match(await outputLines(page).first().innerText(), /^line 1: processing order #10001$/);
    assert.equal(await outputLines(page).count(), lines);
    const top = await terminal(page).evaluate((t) => t.scrollTop);

    // A new line arrives over the app's one stream; scrolled up, the terminal stays where it is.
    const agent = await registeredAgent(hub, terminalAgent);
    assert.equal((await hub.post('/events', { type: 'agent.output', data: { stream: 'stdout', line: `line ${lines + 1}: live` } }, agent)).status, 201);
    await outputLines(page).last().filter({ hasText: `line ${lines + 1}: live` }).waitFor();
    assert.equal(await terminal(page).evaluate((t) => t.scrollTop), top, 'not moved to the new line');
    assert.equal(await page.getByTestId('output-follow').innerText(), 'Jump to newest');

    // Following again, the next line shows at the bottom.
    await page.getByTestId('output-follow').click();
    await eventually('the terminal at its end', async () => ((await distanceFromEnd(page)) <= 1 ? true : undefined));
    assert.equal((await hub.post('/events', { type: 'agent.output', data: { stream: 'stdout', line: `${ESC}[34mline ${lines + 2}: live and blue${ESC}[0m` } }, agent)).status, 201);
    const blue = outputLines(page).last().filter({ hasText: `line ${lines + 2}: live and blue` });
    await blue.waitFor();
    assert.equal(await blue.locator('.c34').count(), 1);
    await eventually('the terminal to follow it', async () => ((await distanceFromEnd(page)) <= 1 ? true : undefined));
    assert.deepEqual(pageErrors, []);
  });

  test('pauses the agent from its page, and says who paused it', async () => {
    const { hub } = suite;
    await registeredAgent(hub, 'agt_pausable', { name: 'invoice-sync' });
    const { page, pageErrors } = await open('#/agents/agt_pausable');
    await page.getByTestId('agent-page-status').filter({ hasText: 'running' }).waitFor();
    await page.getByTestId('agent-pause').click();
    await page.getByTestId('agent-page-status').filter({ hasText: 'paused' }).waitFor();
    assert.equal(await statusOf('agt_pausable'), 'paused');
    await page.getByTestId('agent-paused-reason').filter({ hasText: 'Paused by sam' }).waitFor();
    await page.getByTestId('agent-resume').click();
    await page.getByTestId('agent-page-status').filter({ hasText: 'running' }).waitFor();
    assert.equal(await statusOf('agt_pausable'), 'running');
    assert.deepEqual(pageErrors, []);
  });

  test('shows a failed agent\'s error and its last stderr lines', async () => {
    const { hub } = suite;
    const agent = await registeredAgent(hub, 'agt_crashed', { name: 'nightly-import' });
    const stderrTail = ['connecting to postgres://[redacted]@db:5432/shop', 'FATAL:  password authentication failed for user "import"'];
    assert.equal((await hub.post('/events', { type: 'agent.failed', data: { code: 2, error: 'database password rejected', stderrTail } }, agent)).status, 201);
    const { page, pageErrors } = await open('#/agents/agt_crashed');
    await page.getByTestId('agent-page-status').filter({ hasText: 'failed' }).waitFor();
    assert.equal(await page.getByTestId('agent-failure-error').innerText(), 'database password rejected');
    assert.match(await page.getByTestId('agent-failure').innerText(), /exit code 2/);
    assert.equal(await page.getByTestId('agent-stderr-tail').innerText(), stderrTail.join('\n'));
    assert.deepEqual(pageErrors, []);
  });

  test("shows a workspace agent's commits and finished branch, and asks its merge", async () => {
    const { hub } = suite;
    const spawned = await hub.post('/spawn', { template: 'fixer', name: 'checkout-fixer' });
    assert.equal(spawned.status, 202, JSON.stringify(spawned.body));
    const agentId = spawned.body.agentId as string;
    await eventually(`${agentId} to exit`, async () => ((await statusOf(agentId)) === 'exited' ? true : undefined), 60_000);
    const { page, pageErrors } = await open(`#/agents/${agentId}`);
    await page.getByTestId('agent-commit').nth(1).waitFor();
    assert.deepEqual(
      (await page.getByTestId('agent-commit').allInnerTexts()).map((text) => text.replace(/^\w{10} /, '').split('\n')[0]),
      ['Document the retries', 'Retry the checkout call'],
    );
    assert.match(await page.getByTestId('agent-workspace-finished').innerText(), /mc\/checkout-fixer at \w{10}: 2 commits past main, 2 files, \+3 −0/);
    assert.match(await page.getByTestId('agent-exit').innerText(), /Exited with code 0/);
    await outputLines(page).filter({ hasText: 'done: 2 commits' }).waitFor();

    await page.getByTestId('agent-merge').click();
    await page.getByTestId('agent-notice').filter({ hasText: 'Merge mc/checkout-fixer into main?' }).waitFor();
    await page.getByTestId('agent-merge-state').filter({ hasText: 'waiting for its decision' }).waitFor();
    await page.locator('[data-testid="agent-decision"][data-status="pending"]').filter({ hasText: 'Merge mc/checkout-fixer into main?' }).waitFor();
    assert.equal(await page.getByTestId('agent-merge').count(), 0, 'no second merge while one waits');
    const pending = (await hub.get('/decisions?status=pending')).body.decisions.filter((d: { agentId: string }) => d.agentId === agentId);
    assert.equal(pending.length, 1);
    assert.deepEqual(pageErrors, []);
  });

  test('is linked from the agents list and the feed, and links back', async () => {
    const { page, pageErrors } = await open('#/agents');
    await page.locator(`[data-testid="agent-row"][data-agent-id="agt_crashed"] [data-testid="agent-link"]`).click();
    await page.getByTestId('agent-name').filter({ hasText: 'nightly-import' }).waitFor();
    assert.equal(new URL(page.url()).hash, '#/agents/agt_crashed');
    await page.getByTestId('agent-back').click();
    await page.getByTestId('agents-list').waitFor();
    await goTo(page, 'feed');
    await page.getByTestId('feed-agent-link').filter({ hasText: 'invoice-sync' }).first().click();
    await page.getByTestId('agent-name').filter({ hasText: 'invoice-sync' }).waitFor();
    assert.equal(new URL(page.url()).hash, '#/agents/agt_pausable');
    assert.deepEqual(pageErrors, []);
  });
});

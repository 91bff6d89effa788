// In a real Chromium: a Claude Code session's tool call waits in the inbox; the operator answers
// "Approve, and from now on" for the session's agent, the hook is allowed, and the same call is
// then allowed at once by the rule it added. A decision that is no tool call offers no such answer.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { bearer } from '../helpers/decisions.ts';
import { browserSuite, eventually, goTo, noChromium } from './chromium.ts';

const suite = browserSuite();
let coder: Record<string, string>;
before(async () => {
  if (noChromium) return;
  await suite.ready();
  coder = bearer(await suite.hub.mint('coder'));
});

const preToolUse = (command: string) => ({ session_id: 'ui-session-1', cwd: '/home/ann/shop', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } });
const hook = (command: string) => suite.hub.post('/integrations/claude-code/hooks', preToolUse(command), coder);

describe('a coding agent\'s tool call in the inbox', { skip: noChromium }, () => {
  test('"Approve, and from now on" allows the call, and the same call of that agent from then on', async () => {
    const { page, pageErrors } = await suite.dashboards.open(suite.browser, suite.hub.url, await suite.hub.mint('operator'));
    await goTo(page, 'inbox');
    const plain = await suite.hub.post('/decisions', { title: 'Rotate the keys?', risk: 'high' });
    const waiting = hook('npm run release');
    const decisionId = await eventually('the tool call in the inbox', async () => (await suite.hub.get('/decisions?status=pending')).body.decisions.find((d: { tool: string | null }) => d.tool === 'Bash')?.id as string | undefined);
    const card = page.locator(`[data-testid="decision-card"][data-decision-id="${decisionId}"]`);
    await card.waitFor();
    assert.equal(await page.locator(`[data-testid="decision-card"][data-decision-id="${plain.body.id}"] [data-testid="decision-approve-always"]`).count(), 0, 'no such answer for a decision that is no tool call');
    assert.match(await card.getByTestId('decision-context').innerText(), /wants to run:\s+npm run release/);
    await card.getByTestId('decision-allow-scope').selectOption('agent');
    await card.getByTestId('decision-approve-always').click();
    const answer = (await waiting).body.hookSpecificOutput;
    assert.equal(answer.permissionDecision, 'allow');
    const again = (await hook('npm run release')).body.hookSpecificOutput;
    assert.equal(again.permissionDecision, 'allow');
    assert.match(again.permissionDecisionReason, new RegExp(`rule "from-${decisionId}"`));
    assert.deepEqual(pageErrors, []);
  });
});

// GET /policies: the rules in the order a tool call is checked against them (learned, the config
// file's, the shipped set), for admins only; an approval "allow from now on" puts its rule first.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { shippedRules } from '../../server/policies/shipped.ts';
import { mcProcesses } from '../helpers/child-process.ts';
import { assertMatchesContract } from '../helpers/contract-schema.ts';
import { bearer } from '../helpers/hub.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { assertHubProblem } from '../helpers/problem.ts';
import { until } from '../helpers/until.ts';

const configured = [
  { name: 'no-curl', match: { tool: 'Bash', command: String.raw`\bcurl\b` }, verdict: 'deny' as const, message: 'no network from agents' },
  { name: 'docs-are-low', match: { tool: 'Edit|Write', path: String.raw`^docs/` }, verdict: 'low' as const },
];
const suite = hubSuite({ policies: { rules: configured, shipped: true }, codingAgents: { decisionWaitSec: 30 } });
let admin: Record<string, string>;

before(async () => {
  await suite.ready();
  admin = bearer(suite.hub.adminToken);
});

const rulesAs = (headers: Record<string, string>, query = '') => suite.hub.get(`/policies${query}`, headers);

describe('GET /policies', () => {
  test('an admin gets every rule in the order they are checked: the config file’s, then the shipped set', async () => {
    const res = await rulesAs(admin);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const rules = res.body.rules as Array<{ name: string; source: string; verdict: string; match: object; message: string | null }>;
    assert.deepEqual(
      rules.map((r) => [r.name, r.source]),
      [...configured.map((r) => [r.name, 'config']), ...shippedRules.map((r) => [r.name, 'shipped'])],
    );
    assert.deepEqual(rules[0], { name: 'no-curl', source: 'config', verdict: 'deny', match: configured[0]!.match, message: 'no network from agents' });
    assert.equal(rules[1]!.message, null, 'a rule without a message says null');
    const forcePush = rules.find((r) => r.name === 'force-push')!;
    assert.deepEqual([forcePush.verdict, forcePush.message], ['red', 'a force-push rewrites shared history']);
  });

  for (const role of ['operator', 'viewer', 'agent', 'healer', 'coder'] as const) {
    test(`${role === 'operator' || role === 'agent' ? 'an' : 'a'} ${role} is refused with a 403`, async () => {
      const token = await suite.hub.mint(role, role === 'agent' ? 'agt_policies_reader' : undefined);
      assertHubProblem(await rulesAs(bearer(token)), 403, 'forbidden', /admin/);
    });
  }

  test('no token is a 401', async () => {
    assertHubProblem(await rulesAs({}), 401, 'unauthorized', /token/);
  });

  test('an unknown query parameter is a 400 that says the endpoint takes none', async () => {
    assertHubProblem(await rulesAs(admin, '?source=learned'), 400, 'validation_failed', /unknown query parameter "source": this endpoint takes none/);
  });

  test('an approval "allow from now on" adds a learned rule, listed first', async () => {
    const coder = bearer(await suite.hub.mint('coder'));
    const session = '3f2a1b7c-0000-4000-8000-00000000a11c';
    const hook = { ...recorded('PreToolUse'), session_id: session, tool_name: 'Bash', tool_input: { command: 'npm run deploy:staging' } };
    const answer = suite.hub.post('/integrations/claude-code/hooks', hook, coder);
    const decision = await until('its decision', async () => (await suite.hub.get('/decisions?status=pending')).body.decisions.find((d: { agentId: string }) => d.agentId === `cc-${session}`));
    const resolved = await suite.hub.post(`/decisions/${decision.id}/resolve`, { outcome: 'approve', allowFromNow: 'agent' });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    await answer;
    const rules = (await rulesAs(admin)).body.rules as Array<{ name: string; source: string; verdict: string; match: Record<string, unknown>; message: string }>;
    assert.equal(rules.length, configured.length + shippedRules.length + 1);
    const [first] = rules;
    assert.deepEqual([first!.name, first!.source, first!.verdict], [`from-${decision.id}`, 'learned', 'allow']);
    assert.deepEqual(first!.match, { tool: 'Bash', command: String.raw`^npm run deploy:staging$`, agent: `cc-${session}` });
    assert.match(first!.message, new RegExp(`allowed from now on by .+ \\(decision ${decision.id}\\)`));
    assert.deepEqual(rules.slice(1, 3).map((r) => r.name), ['no-curl', 'docs-are-low']);
  });

  test('answers what the contract describes', async () => {
    assertMatchesContract('PolicyRules', (await rulesAs(admin)).body);
  });
});

describe('mc policy list', () => {
  const { mc } = mcProcesses(() => ({ MC_HUB_URL: suite.hub.url, MC_TOKEN: suite.hub.adminToken }));

  test('prints the rules in order with their source, verdict and match', async () => {
    const res = await mc(['policy', 'list']);
    assert.equal(res.code, 0, res.stderr);
    const lines = res.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^RULE\s+SOURCE\s+VERDICT\s+MATCH$/);
    const names = lines.slice(1).map((line) => line.split(/\s+/)[0]);
    assert.equal(names.indexOf('no-curl') + 1, names.indexOf('docs-are-low'));
    assert.ok(names.indexOf('docs-are-low') < names.indexOf('force-push'));
    assert.match(lines.find((l) => l.startsWith('no-curl'))!, /^no-curl\s+config\s+deny\s+\{"tool":"Bash","command":"\\\\bcurl\\\\b"\}$/);
  });

  test('an operator token is refused', async () => {
    const res = await mc(['policy', 'list'], { MC_TOKEN: await suite.hub.mint('operator') });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /admin/);
  });
});

function recorded(event: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/claude-code/${event}.json`, import.meta.url), 'utf8'));
}

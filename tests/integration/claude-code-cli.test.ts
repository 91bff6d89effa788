// `mc hook claude-code` as a real process fed recorded hook inputs on stdin (it fails closed),
// `mc setup claude-code` writing a project's .claude/settings.json (its hook then run as Claude
// Code runs it: by the shell, without mc on PATH), and `mc policy check`.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { mcProcesses, runProcess, startProcess } from '../helpers/child-process.ts';
import { anotherOperator } from '../helpers/decisions.ts';
import { hubSuite } from '../helpers/hub-suite.ts';
import { outsideCheckout } from '../helpers/linked-mc.ts';
import { until } from '../helpers/until.ts';

const suite = hubSuite();
let coderToken: string;
before(async () => {
  await suite.ready();
  coderToken = await suite.hub.mint('coder');
});
const { mc } = mcProcesses(() => ({ MC_HUB_URL: suite.hub.url, MC_TOKEN: coderToken }));
/** `mc hook claude-code` fed `stdin`, with the hub and the coder token unless `env` says otherwise. */
const hookRun = (stdin: string, env: Record<string, string | undefined> = {}) =>
  startProcess(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', 'hook', 'claude-code'], { env: { ...process.env, MC_HUB_URL: suite.hub.url, MC_TOKEN: coderToken, ...env } as Record<string, string>, stdin });
const outside = outsideCheckout();

const recorded = (event: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../fixtures/claude-code/${event}.json`, import.meta.url), 'utf8'));
let sessions = 0;
const newSession = () => `5e55-cli-${++sessions}`;
const bash = (session: string, command: string) => JSON.stringify({ ...recorded('PreToolUse'), session_id: session, tool_input: { command } });
const pendingFor = (agentId: string) => until('its decision', async () => (await suite.hub.get('/decisions?status=pending')).body.decisions.find((d: { agentId: string }) => d.agentId === agentId));
const down = { MC_HUB_URL: 'http://127.0.0.1:59997' };

describe('mc hook claude-code', () => {
  test('every recorded hook input is answered with exit 0 and a hook answer on stdout', async () => {
    const session = newSession();
    for (const event of ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'Notification', 'PreCompact', 'SubagentStop', 'Stop', 'SessionEnd']) {
      const run = hookRun(JSON.stringify({ ...recorded(event), session_id: session }));
      assert.equal(await run.exited, 0, `${event}: ${run.stderr}`);
      const answer = JSON.parse(run.stdout);
      assert.deepEqual(answer, event === 'PreToolUse' ? { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow', permissionDecisionReason: 'allowed by policy rule "read-only-commands": the command only reads' } } : {}, event);
    }
    assert.equal((await suite.hub.get(`/agents/cc-${session}`)).body.status, 'exited');
  });

  test('git push --force waits for two operators and is then allowed', async () => {
    const session = newSession();
    const run = hookRun(bash(session, 'git push --force'));
    const decision = await pendingFor(`cc-${session}`);
    assert.equal(decision.risk, 'red');
    await suite.hub.post(`/decisions/${decision.id}/resolve`, { outcome: 'approve' });
    await suite.hub.post(`/decisions/${decision.id}/resolve`, { outcome: 'approve' }, await anotherOperator(suite.hub));
    assert.equal(await run.exited, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).hookSpecificOutput.permissionDecision, 'allow');
  });

  test('with the hub down a tool call is blocked (exit 2, the reason on stderr); a hook that only reports exits 1', async () => {
    const blocked = hookRun(bash(newSession(), 'ls'), down);
    assert.equal(await blocked.exited, 2);
    assert.match(blocked.stderr, /^Mission Control: cannot reach the hub at http:\/\/127\.0\.0\.1:59997.*; blocked\n$/);
    assert.equal(blocked.stdout, '');
    const report = hookRun(JSON.stringify(recorded('Stop')), down);
    assert.equal(await report.exited, 1);
    assert.match(report.stderr, /cannot reach the hub/);
  });

  test('stdin that is not JSON, a token that is refused, no token at all: exit 2', async () => {
    const garbage = hookRun('not json');
    assert.equal(await garbage.exited, 2);
    assert.match(garbage.stderr, /not JSON; blocked/);
    const refused = hookRun(bash(newSession(), 'ls'), { MC_TOKEN: 'mc_not_a_token' });
    assert.equal(await refused.exited, 2);
    const tokenless = hookRun(bash(newSession(), 'ls'), { MC_TOKEN: '' });
    assert.equal(await tokenless.exited, 2);
    assert.match(tokenless.stderr, /MC_TOKEN is not set/);
  });
});

describe('mc setup claude-code', () => {
  const settingsOf = (dir: string) => JSON.parse(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8'));

  test('merges the hooks into a project, keeps what was there, replaces its own on a second run', async () => {
    const project = join(outside.dir, 'shop');
    mkdirSync(join(project, '.claude'), { recursive: true });
    const theirs = { type: 'command', command: 'npx prettier --write .' };
    writeFileSync(join(project, '.claude', 'settings.json'), JSON.stringify({ model: 'opus', hooks: { PostToolUse: [{ matcher: 'Edit', hooks: [theirs] }] } }));
    for (let run = 0; run < 2; run++) {
      const res = await mc(['setup', 'claude-code', '--project', project]);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /wrote 11 Claude Code hooks \(command\)/);
    }
    const settings = settingsOf(project);
    assert.equal(settings.model, 'opus');
    assert.deepEqual(Object.keys(settings.hooks).sort(), ['Notification', 'PermissionRequest', 'PostToolUse', 'PostToolUseFailure', 'PreCompact', 'PreToolUse', 'SessionEnd', 'SessionStart', 'Stop', 'SubagentStop', 'UserPromptSubmit']);
    assert.deepEqual(settings.hooks.PostToolUse[0], { matcher: 'Edit', hooks: [theirs] });
    assert.equal(settings.hooks.PreToolUse.length, 1, 'one hook of ours per event, after two runs');
    const ours = settings.hooks.PreToolUse[0].hooks[0];
    assert.equal(ours.timeout, 600);
    assert.match(ours.command, /^MC_HUB_URL='http:\/\/[^']+' '\/[^']+' '\/[^']+\/server\/cli\/mc\.mjs' hook claude-code$/);
    assert.ok(!JSON.stringify(settings).includes(coderToken), 'the token is never written');

    // As Claude Code runs it: by the shell, with only MC_TOKEN from its environment and no mc on PATH.
    const hooked = await runProcess('/bin/sh', ['-c', ours.command], { env: { PATH: outside.tools, HOME: outside.dir, MC_TOKEN: coderToken }, stdin: bash(newSession(), 'git diff') });
    assert.equal(hooked.code, 0, hooked.stderr);
    assert.equal(JSON.parse(hooked.stdout).hookSpecificOutput.permissionDecision, 'allow');
  });

  test('--http writes HTTP hooks with a bearer header read from MC_TOKEN', async () => {
    const project = join(outside.dir, 'docs');
    const res = await mc(['setup', 'claude-code', '--http', '--project', project]);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(settingsOf(project).hooks.Stop[0].hooks[0], {
      type: 'http',
      url: `${suite.hub.url}/integrations/claude-code/hooks`,
      headers: { Authorization: 'Bearer $MC_TOKEN' },
      allowedEnvVars: ['MC_TOKEN'],
      timeout: 600,
    });
  });

  test('a settings file that is not JSON is left alone; a token that is no coder token, both modes, another vendor: refused', async () => {
    const project = join(outside.dir, 'broken');
    mkdirSync(join(project, '.claude'), { recursive: true });
    writeFileSync(join(project, '.claude', 'settings.json'), '{ "model": ');
    const broken = await mc(['setup', 'claude-code', '--project', project]);
    assert.equal(broken.code, 3);
    assert.match(broken.stderr, /settings\.json is not valid JSON/);
    assert.equal(readFileSync(join(project, '.claude', 'settings.json'), 'utf8'), '{ "model": ');
    const operator = await mc(['setup', 'claude-code', '--project', project], { MC_TOKEN: await suite.hub.mint('operator') });
    assert.match(operator.stderr, /an operator token; hooks need a coder token/);
    assert.match((await mc(['setup', 'claude-code', '--http', '--command'])).stderr, /choose one of --command and --http/);
    assert.match((await mc(['setup', 'codex'])).stderr, /no integration "codex"/);
  });
});

describe('mc resolve --allow-from-now', () => {
  test('approves a tool call and allows the same call of the agent from now on', async () => {
    const session = newSession();
    const operator = { MC_TOKEN: await suite.hub.mint('operator') };
    const first = hookRun(bash(session, 'npm run release'));
    const decision = await pendingFor(`cc-${session}`);
    const res = await mc(['resolve', decision.id, 'approve', '--allow-from-now', 'agent'], operator);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(await first.exited, 0);
    const again = hookRun(bash(session, 'npm run release'));
    assert.equal(await again.exited, 0);
    assert.match(JSON.parse(again.stdout).hookSpecificOutput.permissionDecisionReason, new RegExp(`rule "from-${decision.id}"`));
    assert.match((await mc(['resolve', decision.id, 'approve', '--allow-from-now', 'world'], operator)).stderr, /--allow-from-now must be one of agent, project, everyone/);
  });
});

describe('mc policy check', () => {
  test('names the rule and its verdict', async () => {
    const res = await mc(['policy', 'check', '--tool', 'Bash', '--command', 'git push -f']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'red by rule "force-push" (shipped): a force-push rewrites shared history\n');
    const edit = await mc(['policy', 'check', '--tool', 'Edit', '--path', '.env.local']);
    assert.match(edit.stdout, /^red by rule "secrets-file"/);
  });

  test('wrong input is a usage error', async () => {
    assert.match((await mc(['policy', 'check'])).stderr, /--tool is required/);
    assert.match((await mc(['policy', 'check', '--tool', 'Bash', '--input', '[1]'])).stderr, /--input must be a JSON object/);
    assert.match((await mc(['policy', 'lint'])).stderr, /no action "lint"/);
  });
});

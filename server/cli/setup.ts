import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { type Command, UsageError, positional, text } from './command.ts';

/** Every Claude Code hook event the hub takes; the tool events match every tool. */
const events = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'PostToolUseFailure', 'Notification', 'Stop', 'SubagentStop', 'PreCompact', 'SessionEnd'];
const toolEvents = new Set(['PreToolUse', 'PermissionRequest', 'PostToolUse', 'PostToolUseFailure']);
// Above the hub's wait on a decision (`codingAgents.decisionWaitSec`, 540 s by default).
const timeoutSec = 600;

type Hook = Record<string, unknown>;
type Group = { matcher?: string; hooks?: Hook[] };
type Settings = { hooks?: Record<string, Group[]> } & Record<string, unknown>;

export const setupCommand: Command = {
  name: 'setup',
  summary: "write the hub's hooks into a coding agent's settings (Claude Code)",
  usage: 'mc setup claude-code [--command | --http] [--project <dir> | --user]',
  help: `Writes hooks for every Claude Code hook event into <dir>/.claude/settings.json (the
current directory by default) or, with --user, ~/.claude/settings.json. The rest of the file is
kept; hooks this command wrote before are replaced. MC_TOKEN must be a coder token (an admin
mints one: mc tokens create --role coder); it is never written into the file: Claude Code must
run with MC_TOKEN in its environment.

  --command       (default) hooks run this mc, by absolute path: mc hook claude-code. Fails
                  closed: when the hub is down, tool calls are blocked.
  --http          hooks POST to the hub directly, with "Authorization: Bearer $MC_TOKEN". No
                  process per hook, but Claude Code treats a hub it cannot reach as no answer,
                  and the tool runs unchecked.
  --project <dir> the project whose .claude/settings.json to write
  --user          write ~/.claude/settings.json (every project of this user)`,
  options: { command: { type: 'boolean' }, http: { type: 'boolean' }, project: { type: 'string' }, user: { type: 'boolean' } },
  async run(ctx, values, positionals) {
    const [vendor] = positional(positionals, 'vendor');
    if (vendor !== 'claude-code') throw new UsageError(`no integration "${vendor}"; mc setup takes: claude-code`);
    if (values.command && values.http) throw new UsageError('choose one of --command and --http');
    const project = text(values, 'project');
    if (project !== undefined && values.user) throw new UsageError('choose one of --project and --user');
    const me = await ctx.client.whoami();
    if (me.role !== 'coder') throw new Error(`MC_TOKEN is ${/^[aeiou]/.test(me.role) ? 'an' : 'a'} ${me.role} token; hooks need a coder token (an admin mints one: mc tokens create --role coder)`);
    const file = values.user ? path.join(homedir(), '.claude', 'settings.json') : path.join(path.resolve(project ?? '.'), '.claude', 'settings.json');
    const hook: Hook = values.http
      ? { type: 'http', url: `${ctx.client.url}/integrations/claude-code/hooks`, headers: { Authorization: 'Bearer $MC_TOKEN' }, allowedEnvVars: ['MC_TOKEN'], timeout: timeoutSec }
      : { type: 'command', command: `MC_HUB_URL=${shellWord(ctx.client.url)} ${ctx.self} hook claude-code`, timeout: timeoutSec };
    const settings = await readSettings(file);
    settings.hooks = withHooks(settings.hooks ?? {}, hook);
    await mkdir(path.dirname(file), { recursive: true });
    // Written whole, then moved into place: Claude Code never reads half a file.
    await writeFile(`${file}.mc-setup`, `${JSON.stringify(settings, null, 2)}\n`);
    await rename(`${file}.mc-setup`, file);
    ctx.out(`wrote ${events.length} Claude Code hooks (${values.http ? 'http' : 'command'}) into ${file}; run Claude Code with MC_TOKEN set to this coder token`);
    return 0;
  },
};

async function readSettings(file: string): Promise<Settings> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); fix it or move it away, then run mc setup again`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${file} does not hold a JSON object; fix it or move it away`);
  return parsed as Settings;
}

/** The hooks with every earlier hook of the hub taken out and `hook` added for each event. */
function withHooks(existing: Record<string, Group[]>, hook: Hook): Record<string, Group[]> {
  const hooks: Record<string, Group[]> = {};
  for (const [event, groups] of Object.entries(existing)) {
    const kept = (Array.isArray(groups) ? groups : []).map((group) => ({ ...group, hooks: (group.hooks ?? []).filter((h) => !isOurs(h)) })).filter((group) => group.hooks.length > 0);
    if (kept.length > 0) hooks[event] = kept;
  }
  for (const event of events) hooks[event] = [...(hooks[event] ?? []), { ...(toolEvents.has(event) ? { matcher: '*' } : {}), hooks: [hook] }];
  return hooks;
}

function isOurs(hook: Hook): boolean {
  return (typeof hook.url === 'string' && hook.url.endsWith('/integrations/claude-code/hooks')) || (typeof hook.command === 'string' && hook.command.endsWith(' hook claude-code'));
}

function shellWord(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

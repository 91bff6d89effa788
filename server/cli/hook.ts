import { type Command, UsageError, positional } from './command.ts';

// Claude Code's exit codes: 2 blocks the tool call (stderr goes to Claude); any other non-zero is
// a non-blocking error, which for a tool call means it runs unchecked.
const blocks = 2;
const reportsOnly = 1;
/** The hooks that decide whether a tool runs: a failure there must block. */
const gating = new Set(['PreToolUse', 'PermissionRequest']);

export const hookCommand: Command = {
  name: 'hook',
  summary: "send a coding agent's hook to the hub and answer it (Claude Code command hook)",
  usage: 'mc hook claude-code',
  help: `Reads a Claude Code hook input on stdin, sends it to the hub (POST
/integrations/claude-code/hooks, with MC_TOKEN: a coder token) and prints the hub's answer for
Claude Code on stdout. A tool call waits there for its decision when the policy asks for one.

It fails closed: when the hub cannot be reached, refuses the call, or answers something that is
not a hook answer, a tool call (PreToolUse, PermissionRequest) is blocked: exit 2, the reason on
stderr, which Claude sees. Other hooks only report, so they exit 1 and Claude goes on. Input
that is not a hook's JSON blocks too. mc setup claude-code --command installs it.`,
  options: {},
  failureCode: blocks,
  async run(ctx, _values, positionals) {
    const [vendor] = positional(positionals, 'vendor');
    if (vendor !== 'claude-code') throw new UsageError(`no integration "${vendor}"; mc hook takes: claude-code`);
    const input = await ctx.stdin();
    let payload: unknown;
    try {
      payload = JSON.parse(input);
    } catch {
      ctx.err('Mission Control: the hook input on stdin is not JSON; blocked');
      return blocks;
    }
    const event = typeof payload === 'object' && payload !== null ? (payload as { hook_event_name?: unknown }).hook_event_name : undefined;
    const failed = typeof event === 'string' && !gating.has(event) ? reportsOnly : blocks;
    try {
      const answer = await ctx.client.integrations.hook(vendor, payload, { signal: ctx.signal });
      if (!isHookAnswer(answer)) {
        ctx.err(`Mission Control: the hub's answer is not a hook answer${failed === blocks ? '; blocked' : ''}`);
        return failed;
      }
      ctx.out(JSON.stringify(answer));
      return 0;
    } catch (error) {
      ctx.err(`Mission Control: ${(error as Error).message}${failed === blocks ? '; blocked' : ''}`);
      return failed;
    }
  },
};

/** A JSON object with, if any, a `hookSpecificOutput` that names its event: what Claude Code reads from stdout. */
function isHookAnswer(answer: unknown): boolean {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return false;
  const output = (answer as { hookSpecificOutput?: unknown }).hookSpecificOutput;
  if (output === undefined) return Object.keys(answer).length === 0;
  if (typeof output !== 'object' || output === null) return false;
  const specific = output as { hookEventName?: unknown; permissionDecision?: unknown; decision?: { behavior?: unknown } };
  if (specific.hookEventName === 'PreToolUse') return ['allow', 'deny', 'ask'].includes(String(specific.permissionDecision));
  if (specific.hookEventName === 'PermissionRequest') return ['allow', 'deny'].includes(String(specific.decision?.behavior));
  return false;
}

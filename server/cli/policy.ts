import { type Command, UsageError, jsonArgument, positional, text } from './command.ts';

export const policyCommand: Command = {
  name: 'policy',
  summary: 'say which policy rule a tool call meets, and its verdict',
  usage: 'mc policy check --tool <name> [--command <text>] [--path <file>] [--input <json>] [--cwd <dir>] [--agent <id>]',
  help: `Asks the hub which rule a coding agent's tool call would meet and what it says (allow,
deny, ask, or a risk: low is approved by policy, medium and high wait for an operator, red for
two), without asking anyone or logging anything.

  --tool <name>     the tool (Bash, Edit, Write, mcp__server__tool...), required
  --command <text>  the command a Bash call runs
  --path <file>     the file an Edit or Write touches
  --input <json>    the tool's whole input, as JSON
  --cwd <dir>       the session's working directory (files outside it are outside the workspace)
  --agent <id>      whose call (for rules on agents, templates and projects)`,
  options: { tool: { type: 'string' }, command: { type: 'string' }, path: { type: 'string' }, input: { type: 'string' }, cwd: { type: 'string' }, agent: { type: 'string' } },
  async run(ctx, values, positionals) {
    const [action] = positional(positionals, 'action');
    if (action !== 'check') throw new UsageError(`no action "${action}"; mc policy takes: check`);
    const tool = text(values, 'tool');
    if (!tool) throw new UsageError('--tool is required');
    const inputText = text(values, 'input');
    const input = inputText === undefined ? undefined : jsonArgument(inputText, '--input');
    if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) throw new UsageError('--input must be a JSON object');
    const optional = (name: string, field: string) => (text(values, name) !== undefined ? { [field]: text(values, name) } : {});
    const verdict = await ctx.client.policies.check({
      tool,
      ...(input !== undefined ? { input: input as Record<string, unknown> } : {}),
      ...optional('command', 'command'),
      ...optional('path', 'path'),
      ...optional('cwd', 'cwd'),
      ...optional('agent', 'agentId'),
    });
    ctx.out(`${verdict.verdict} by rule "${verdict.rule}" (${verdict.source}): ${verdict.reason}`);
    return 0;
  },
};

import { type Command, UsageError, jsonArgument, positional, text } from './command.ts';
import { table } from './format.ts';

export const policyCommand: Command = {
  name: 'policy',
  summary: 'say which policy rule a tool call meets, and its verdict; list the rules (admin)',
  usage: 'mc policy check --tool <name> [--command <text>] [--path <file>] [--input <json>] [--cwd <dir>] [--agent <id>] | mc policy list',
  help: `list: with an admin's MC_TOKEN, every rule in the order a call is checked against them
(learned from "allow from now on", the config file's, the shipped set), with its verdict and match.

check: asks the hub which rule a coding agent's tool call would meet and what it says (allow,
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
    if (action === 'list') {
      const rules = await ctx.client.policies.list();
      for (const line of table([['RULE', 'SOURCE', 'VERDICT', 'MATCH'], ...rules.map((r) => [r.name, r.source, r.verdict, JSON.stringify(r.match)])])) ctx.out(line);
      return 0;
    }
    if (action !== 'check') throw new UsageError(`no action "${action}"; mc policy takes: check, list`);
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

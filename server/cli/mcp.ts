import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { missionControlMcp } from '../mcp/tools.ts';
import { type Command, ExitCode, positional } from './command.ts';

export const mcpCommand: Command = {
  name: 'mcp',
  summary: "serve the hub's MCP tools over stdio, for MCP clients that only speak stdio",
  usage: 'mc mcp',
  help: `Runs an MCP server on stdin and stdout with the same tools as the hub's /mcp
(request_decision, report_progress, list_tasks, claim_task, update_task, read_messages), each
call made to MC_HUB_URL with MC_TOKEN, which must be the agent's own token. It checks the token
first (a refused token or a hub that is down exits 3), then serves until stdin closes. stdout is
the protocol's: everything else goes to stderr. For Claude Code:
  claude mcp add --env MC_HUB_URL=http://localhost:8787 --env MC_TOKEN=<agent token> mission-control -- mc mcp`,
  options: {},
  async run(ctx, _values, positionals) {
    positional(positionals);
    // The tools run here, against the hub's HTTP API through the CLI's client: the same tool list
    // the hub serves at /mcp, so this is not a second implementation, nor a relay of /mcp.
    const me = await ctx.client.whoami();
    const server = missionControlMcp({ hub: ctx.client, whoami: async () => me });
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => {
      transport.onclose = resolve;
      process.stdin.once('end', resolve);
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await server.connect(transport);
    ctx.err(`mc mcp: serving the Mission Control tools as ${me.actor} at ${ctx.client.url} on stdio`);
    await closed;
    await server.close();
    return ExitCode.ok;
  },
};

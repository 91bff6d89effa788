import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpCaller } from './caller.ts';
import { registerRequestDecision } from './decision-tool.ts';
import { registerLogTools } from './log-tools.ts';
import { registerPolicyTools } from './policy-tools.ts';
import { registerTaskTools } from './task-tools.ts';

// The version of this tool set, not of the hub: a client caches tool lists by it, so it changes when a tool's shape does.
const toolSetVersion = '1.0.0';

export interface ToolSetOptions {
  /** How often request_decision tells the client it is still waiting (default 10 s, well under the SDK client's 60 s request timeout). */
  progressEveryMs?: number;
}

/**
 * Mission Control's MCP server: the one tool list, written once against the client, so `/mcp`
 * (in the hub) and `mc mcp` (over stdio) offer the same tools with the same rules. It knows the
 * hub only through `server/client/` and `contracts/`, as the CLI must.
 */
export function missionControlMcp(caller: McpCaller, options: ToolSetOptions = {}): McpServer {
  const server = new McpServer(
    { name: 'mission-control', title: 'Mission Control', version: toolSetVersion },
    {
      instructions:
        'Mission Control is the hub that operators watch this agent through. Ask before risky actions with request_decision and act only on its answer; ' +
        'take work with list_tasks and claim_task and move it with update_task; say what you are doing with report_progress; check read_messages between steps for what operators tell you.',
    },
  );
  registerRequestDecision(server, caller, options.progressEveryMs ?? 10_000);
  registerTaskTools(server, caller);
  registerLogTools(server, caller);
  registerPolicyTools(server, caller);
  return server;
}

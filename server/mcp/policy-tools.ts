import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { type McpCaller, callerAgent } from './caller.ts';
import { answer, refusalsAsResults } from './results.ts';

/** `check_policy`: which rule a tool call of the caller's would meet, through `POST /policies/check` (nothing is logged, no one is asked). */
export function registerPolicyTools(server: McpServer, caller: McpCaller): void {
  server.registerTool(
    'check_policy',
    {
      title: 'Ask whether a tool call would be allowed',
      description:
        'Says which policy rule a tool call would meet and its verdict: allow, deny, ask, or a risk (low is approved by policy, medium and high wait for an operator, red for two). ' +
        'Nothing is logged and no one is asked: check before you try something risky, and ask with request_decision when it needs an operator.',
      inputSchema: {
        tool: z.string().min(1).max(200).describe('The tool: Bash, Edit, Write, or an MCP tool (mcp__server__tool).'),
        command: z.string().min(1).max(100_000).optional().describe('For Bash: the command.'),
        path: z.string().min(1).max(4096).optional().describe('For Edit or Write: the file.'),
        cwd: z.string().min(1).max(4096).optional().describe('Your working directory: files outside it are outside your workspace.'),
        risk: z.enum(['low', 'medium', 'high', 'red']).optional().describe('The risk you see in it.'),
      },
      annotations: { readOnlyHint: true },
    },
    (call) =>
      refusalsAsResults(async () => {
        const agentId = await callerAgent(caller);
        const verdict = await caller.hub.policies.check({ ...call, agentId });
        return answer(`${verdict.verdict} by rule "${verdict.rule}" (${verdict.source}): ${verdict.reason}`, { ...verdict });
      }),
  );
}

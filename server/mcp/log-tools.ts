import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { type McpCaller, callerAgent } from './caller.ts';
import { answer, refusalsAsResults } from './results.ts';

const pageSize = 50;

/**
 * `report_progress` and `read_messages`: the agent's side of the log, through `POST /events`
 * (its schema, its rights, its idempotency) and `GET /events`.
 */
export function registerLogTools(server: McpServer, caller: McpCaller): void {
  server.registerTool(
    'report_progress',
    {
      title: 'Tell the operators how you are doing',
      description: 'Records a line of progress in the log as an x.progress event about you (and your task, if you name it); operators see it on the dashboard and in `mc tail`.',
      inputSchema: {
        text: z.string().min(1).max(4000).describe('What you are doing or have done, in a sentence.'),
        taskId: z.string().min(1).max(128).optional().describe('Your task it is about.'),
      },
    },
    ({ text, taskId }) =>
      refusalsAsResults(async () => {
        const agentId = await callerAgent(caller);
        // The same type and data as the SDK's agent.progress(), so the dashboard shows both alike.
        const receipt = await caller.hub.events.append({ type: 'x.progress', data: { text }, agentId, ...(taskId ? { taskId } : {}) });
        return answer(`Recorded as event ${receipt.id} (seq ${receipt.seq}).`, { eventId: receipt.id, seq: receipt.seq });
      }),
  );

  server.registerTool(
    'read_messages',
    {
      title: 'Read what operators told you',
      description:
        'The messages operators injected for you (mc inject, the dashboard), oldest first, after `after`. Returns a cursor: pass it as `after` next time to get only newer messages. ' +
        'Call it between steps of your work.',
      inputSchema: { after: z.number().int().min(0).optional().describe('The cursor the last read_messages returned; leave it out to read from the start.') },
      annotations: { readOnlyHint: true },
    },
    ({ after }) =>
      refusalsAsResults(async () => {
        const agentId = await callerAgent(caller);
        const page = await caller.hub.events.page({ types: ['agent.message_injected'], agent: agentId, after: after ?? 0, limit: pageSize });
        const messages = page.events.map((e) => ({ id: e.id, seq: e.seq, from: String(e.data.from), message: String(e.data.message), at: e.recordedAt }));
        const cursor = Math.max(page.next, after ?? 0);
        // A full page may have more behind it (a page may also stop early at the hub's byte budget, which messages do not reach).
        const more = messages.length === pageSize ? ' There may be more: call read_messages again with this cursor.' : '';
        const text = messages.length === 0 ? `No new messages. Cursor: ${cursor}.` : `${messages.map((m) => `From ${m.from} at ${m.at}: ${m.message}`).join('\n')}\nCursor: ${cursor} (pass it as after next time).${more}`;
        return answer(text, { messages, cursor });
      }),
  );
}

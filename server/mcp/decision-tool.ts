import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { OnTimeout, Risk } from '../../contracts/vocabulary.ts';
import type { DecisionView } from '../client/views.ts';
import { type McpCaller, callerAgent } from './caller.ts';
import { reportWhileWaiting } from './progress.ts';
import { answer, refusalsAsResults } from './results.ts';

const ask = {
  title: z.string().min(1).max(200).describe('The question, in one line: what you want to do, e.g. "Drop the users table on staging?"'),
  context: z.string().max(16_000).optional().describe('What the person needs to answer (Markdown): why, what changes, what could go wrong.'),
  options: z.array(z.string().min(1).max(200)).min(1).max(16).optional().describe('Answers besides approve and deny, e.g. ["staging", "production"].'),
  risk: z.enum(Risk).describe('low: approved by policy at once; medium and high: one operator answers; red: two operators must approve.'),
  expiresInSec: z.number().int().min(1).max(2_592_000).optional().describe("Seconds until the deadline; the hub's default when left out."),
  onTimeout: z.enum(OnTimeout).optional().describe('What the deadline does when nobody answers: deny (the default), approve, or escalate to a new decision.'),
  taskId: z.string().min(1).max(128).optional().describe('Your task it is about.'),
};

/**
 * `request_decision`: asks in the inbox for the caller's agent, as `POST /decisions` does, and
 * waits for the answer as `GET /decisions/:id/wait` does (the client's own ask-and-wait, which
 * follows an escalation to its end), reporting progress while a person thinks.
 */
export function registerRequestDecision(server: McpServer, caller: McpCaller, progressEveryMs: number): void {
  server.registerTool(
    'request_decision',
    {
      title: 'Ask a person and wait for the answer',
      description:
        'Ask an operator of Mission Control to approve something before you do it, and wait for the answer (minutes, or until the deadline). ' +
        'Returns the outcome (approve, deny or one of your options), who answered and their comment; or that the decision expired or was cancelled. ' +
        'Act only on "approve" (or the option chosen); anything else means do not do it.',
      inputSchema: ask,
    },
    (input, call) =>
      refusalsAsResults(async () => {
        const agentId = await callerAgent(caller);
        let asked: DecisionView | undefined;
        let stop = () => {};
        try {
          const settled = await caller.hub.decisions.request(
            { ...input, agentId },
            {
              signal: call.signal,
              onAsked(decision) {
                asked = decision;
                const since = Date.now();
                stop = reportWhileWaiting(call, progressEveryMs, () => `waiting for an operator to answer ${decision.id} ("${decision.title}", ${decision.risk} risk) for ${Math.round((Date.now() - since) / 1000)} s; deadline ${decision.expiresAt}`);
              },
            },
          );
          return answer(settledText(settled), settledFacts(settled));
        } catch (error) {
          // The client gave up waiting (or went away): nobody is left to act on an answer, so the inbox should not ask for one.
          if (call.signal.aborted && asked?.status === 'pending') await caller.hub.decisions.cancel(asked.id, 'the asking agent stopped waiting (its MCP call was cancelled)').catch(() => undefined);
          throw error;
        } finally {
          stop();
        }
      }),
  );
}

/** What a model reads: whether to go ahead, and who said so. */
function settledText(d: DecisionView): string {
  const comment = d.comment ? `: ${d.comment}` : '';
  if (d.status === 'resolved') {
    const go = d.outcome === 'deny' ? 'Denied: do not do it.' : d.outcome === 'approve' ? 'Approved: go ahead.' : `Answered "${d.outcome}".`;
    return `${go} Decision ${d.id} was answered "${d.outcome}" by ${d.resolvedBy}${comment}`;
  }
  if (d.status === 'cancelled') return `Cancelled: do not do it. Decision ${d.id} was withdrawn by ${d.resolvedBy}${comment}`;
  return `Expired: nobody answered decision ${d.id} by ${d.expiresAt}; the hub applied "${d.outcome}"${d.outcome === 'approve' ? ', so you may go ahead' : ': do not do it'}.`;
}

function settledFacts(d: DecisionView): Record<string, unknown> {
  return { decisionId: d.id, status: d.status, outcome: d.outcome, resolvedBy: d.resolvedBy, comment: d.comment, expiresAt: d.expiresAt, escalatedTo: d.escalatedTo };
}

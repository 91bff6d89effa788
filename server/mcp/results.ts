import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { HubClientError } from '../client/hub-client.ts';

/** A tool's answer: a few lines a model reads, and the same facts as structured content for code. */
export function answer(text: string, facts: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: facts };
}

/**
 * The hub's refusal as a tool error result (`isError`), never a protocol error: the model sees
 * the problem's detail, which says what to do instead, and code sees its status and code.
 */
export function refusal(error: HubClientError): CallToolResult {
  const what = error.status === 0 ? 'the hub did not answer' : `the hub refused (${error.status} ${error.code})`;
  const problems = error.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
  return {
    isError: true,
    content: [{ type: 'text', text: `${what}: ${error.detail}${problems ? ` (${problems})` : ''}` }],
    structuredContent: { status: error.status, code: error.code, detail: error.detail, ...(error.errors ? { errors: error.errors } : {}) },
  };
}

/** Runs a tool's body; a refusal by the hub becomes a tool error result, anything else is the SDK's to report. */
export async function refusalsAsResults(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof HubClientError) return refusal(error);
    throw error;
  }
}

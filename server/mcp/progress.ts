import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

/** What the SDK hands a tool with its arguments: the call's signal, its `_meta`, and a way to notify about it. */
export type ToolCall = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Keeps a long call alive for the client: a progress notification now and every `everyMs`, when
 * the client sent a progressToken (without one it asked for none). Clients reset their request
 * timeout on each, so a wait of many minutes for a person does not look like a dead server.
 * Returns the stop.
 */
export function reportWhileWaiting(call: ToolCall, everyMs: number, status: () => string): () => void {
  const progressToken = call._meta?.progressToken;
  if (progressToken === undefined) return () => {};
  let progress = 0;
  const send = () => {
    // MCP asks that `progress` grow with every notification; the total of a wait is unknown.
    progress += 1;
    call.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, message: status() } }).catch(() => undefined);
  };
  send();
  const timer = setInterval(send, everyMs);
  return () => clearInterval(timer);
}

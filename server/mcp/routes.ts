import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import { allow, principalOf } from '../auth/middleware.ts';
import { HubClient } from '../client/hub-client.ts';
import type { HubEnv } from '../http/env.ts';
import { missionControlMcp } from './tools.ts';

export interface McpRouteDeps {
  /** The hub's own API, answered in-process (the app's `fetch`), with the caller's bindings. */
  api(request: Request, env: HubEnv['Bindings']): Response | Promise<Response>;
}

/**
 * `POST /mcp`: the MCP tools over Streamable HTTP, stateless. Each POST gets a fresh server and
 * transport, and the bearer token is checked on each like any request. Sessions would hold state
 * in one hub's memory (tied to a token, bounded, expired), and a client would need to come back to
 * that hub; stateless, any hub behind a balancer serves any call, and a revoked token stops at its
 * next call. Nothing is lost: a tool's progress and answer go on the POST's own SSE response, and
 * no tool sends anything unasked, so there is no GET stream (the SDK's client takes the 405). The
 * cost: a `notifications/cancelled` arrives on a POST of its own, which knows no call to cancel;
 * a call ends when its connection does.
 *
 * The tools call the hub's API in-process as a client with the caller's own token, so every call
 * runs the same routes, rules, rights and problem details as over HTTP, and `mc mcp` can run the
 * very same tools against the hub over the network.
 */
export function mcpRoutes(deps: McpRouteDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  app.post('/', allow('POST /mcp'), async (c) => {
    const { role, agentId, actor, tokenId, name, projectId } = principalOf(c);
    const { trace } = c.get('origin');
    const requestId = c.get('requestId');
    const hub = new HubClient({
      // The header `authenticate` already checked: the tools' calls are the caller's own.
      url: new URL(c.req.url).origin,
      token: c.req.header('authorization')!.slice('Bearer '.length),
      // Under the MCP call's request id, so its events correlate to it and its log lines read together.
      fetch: async (input, init) => {
        const request = new Request(input, init);
        request.headers.set('x-request-id', requestId);
        // As fetch does: an aborted call rejects, even when the route answered (a wait answers "still pending" when its client goes).
        request.signal.throwIfAborted();
        const response = await deps.api(request, c.env);
        request.signal.throwIfAborted();
        return response;
      },
      ...(trace ? { trace } : {}),
    });
    const server = missionControlMcp({ hub, whoami: async () => ({ role, agentId, actor, tokenId, name, projectId }) });
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    // A client that goes away ends its call: a waiting request_decision stops (and withdraws its decision).
    c.req.raw.signal.addEventListener('abort', () => void server.close(), { once: true });
    await server.connect(transport);
    return transport.handleRequest(c.req.raw);
  });
  return app;
}

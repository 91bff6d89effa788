import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { postJson, refusal } from './http-post.ts';

/** Bearer secrets to spread over connections; empty when the hub asks for no token. */
export type Tokens = readonly string[];

/** A secret in the hub's own form, registered as admin through `MC_ADMIN_TOKEN`. */
export function newAdminToken(): string {
  return `mc_${randomBytes(32).toString('base64url')}`;
}

/** The `Authorization` header for connection `i`, or none when the hub has no auth. */
export function authHeader(tokens: Tokens, i: number): Record<string, string> {
  return tokens.length === 0 ? {} : { authorization: `Bearer ${tokens[i % tokens.length]}` };
}

/**
 * Mints `count` tokens of `role` through `POST /tokens` (as the admin), one per simulated
 * client, as real agents and dashboards would each hold their own. A hub without that route
 * (no auth yet) answers 404: then no token is needed and the list is empty.
 */
export async function mintTokens(hubUrl: string, adminToken: string, role: 'operator' | 'viewer', count: number): Promise<Tokens> {
  const base = new URL(hubUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const headers = { authorization: `Bearer ${adminToken}` };
  try {
    const mint = async (i: number): Promise<string | undefined> => {
      const result = await postJson(agent, base, '/tokens', JSON.stringify({ role, name: `bench-${role}-${i}` }), headers, true);
      if (result.status === 404 && i === 0) return undefined;
      if (result.status !== 201) throw new Error(`POST /tokens answered ${refusal(result)}`);
      return (JSON.parse(result.body!) as { token: string }).token;
    };
    const first = await mint(0);
    if (first === undefined) return [];
    const tokens = [first];
    for (let i = 1; i < count; i += 8) {
      const more = await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, j) => mint(i + j)));
      tokens.push(...(more as string[]));
    }
    return tokens;
  } finally {
    agent.destroy();
  }
}

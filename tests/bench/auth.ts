import { randomBytes } from 'node:crypto';
import { HubClient, HubClientError } from '../../server/client/hub-client.ts';

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
  const admin = new HubClient({ url: hubUrl, token: adminToken });
  const mint = (i: number) => admin.tokens.create({ role, name: `bench-${role}-${i}` }).then((minted) => minted.token);
  const first = await mint(0).catch((error: unknown) => {
    if (error instanceof HubClientError && error.status === 404) return undefined;
    throw error;
  });
  if (first === undefined) return [];
  const tokens = [first];
  for (let i = 1; i < count; i += 8) tokens.push(...(await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, j) => mint(i + j)))));
  return tokens;
}

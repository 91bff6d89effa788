import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type Principal, actorOf } from './roles.ts';
import { findTokenByHash, hashSecret } from './tokens.ts';

/**
 * Turns a bearer secret into its principal. Known tokens are cached by hash for `ttlMs`, so
 * the hot path does not ask the database on every request; the secret itself is never kept.
 */
export class TokenVerifier {
  private readonly db: Kysely<Database>;
  private readonly ttlMs: number;
  private readonly cache = new Map<string, { principal: Principal; until: number }>();

  constructor(db: Kysely<Database>, ttlMs: number) {
    this.db = db;
    this.ttlMs = ttlMs;
  }

  async verify(secret: string): Promise<Principal | undefined> {
    const hash = hashSecret(secret);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.principal;
    const token = await findTokenByHash(this.db, hash);
    if (!token) return undefined;
    const principal: Principal = { tokenId: token.id, role: token.role, agentId: token.agentId, actor: actorOf(token.role, token.id, token.agentId) };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { principal, until: now + this.ttlMs });
    return principal;
  }
}

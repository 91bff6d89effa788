import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type Principal, actorOf } from './roles.ts';
import { type StoredToken, hashSecret, holderName, refusedTokenIds, useToken } from './tokens.ts';

/** What a secret is worth: its principal, or why it is refused (with when it was revoked or expired). */
export type Verdict = { principal: Principal } | { refused: 'unknown' } | { refused: 'revoked' | 'expired'; at: string };

interface Cached {
  principal: Principal;
  /** Epoch ms; null: never expires. */
  expiresAt: number | null;
  until: number;
}

/**
 * Turns a bearer secret into its principal. Known tokens are cached by hash for `ttlMs`, so the
 * hot path does not ask the database on every request; the secret itself is never kept. A token
 * revoked through this hub is refused at once, one revoked through another hub within `ttlMs`,
 * an expired one from its expiry on.
 */
export class TokenVerifier {
  private readonly db: Kysely<Database>;
  private readonly ttlMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly cache = new Map<string, Cached>();
  /** What to do when a watched token stops being good, by token id. */
  private readonly watchers = new Map<string, Set<() => void>>();
  private sweep: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(db: Kysely<Database>, ttlMs: number, onError: (error: unknown) => void) {
    this.db = db;
    this.ttlMs = ttlMs;
    this.onError = onError;
  }

  async verify(secret: string): Promise<Verdict> {
    const hash = hashSecret(secret);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) {
      if (cached.expiresAt !== null && cached.expiresAt <= now) return { refused: 'expired', at: new Date(cached.expiresAt).toISOString() };
      return { principal: cached.principal };
    }
    const token = await useToken(this.db, hash);
    if (!token) return { refused: 'unknown' };
    const refusal = refusalOf(token, now);
    if (refusal) return refusal;
    const principal: Principal = {
      tokenId: token.id,
      role: token.role,
      agentId: token.agentId,
      actor: actorOf(token.role, token.id, token.agentId),
      name: holderName(token),
      projectId: token.projectId,
      person: token.person,
    };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { principal, expiresAt: token.expiresAt === null ? null : Date.parse(token.expiresAt), until: now + this.ttlMs });
    return { principal };
  }

  /** Stops trusting the token (revoked through this hub, or found refused): drops it from the cache and ends what watches it. */
  forget(tokenId: string): void {
    for (const [hash, cached] of this.cache) if (cached.principal.tokenId === tokenId) this.cache.delete(hash);
    const callbacks = this.watchers.get(tokenId);
    this.watchers.delete(tokenId);
    for (const callback of callbacks ?? []) callback();
  }

  /**
   * Calls `onRefused` once the token is revoked or expires: at once when it is revoked through
   * this hub, else within `ttlMs`. Returns what stops watching.
   */
  watch(tokenId: string, onRefused: () => void): () => void {
    let callbacks = this.watchers.get(tokenId);
    if (!callbacks) this.watchers.set(tokenId, (callbacks = new Set()));
    callbacks.add(onRefused);
    if (!this.sweep) {
      this.sweep = setInterval(() => void this.sweepWatched(), this.ttlMs);
      this.sweep.unref();
    }
    return () => {
      callbacks.delete(onRefused);
      if (callbacks.size === 0 && this.watchers.get(tokenId) === callbacks) this.watchers.delete(tokenId);
      if (this.watchers.size === 0) {
        clearInterval(this.sweep);
        this.sweep = undefined;
      }
    };
  }

  private async sweepWatched(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      for (const id of await refusedTokenIds(this.db, [...this.watchers.keys()])) this.forget(id);
    } catch (error) {
      // The database is away: the streams stay open, and the next sweep looks again.
      this.onError(error);
    } finally {
      this.sweeping = false;
    }
  }
}

function refusalOf(token: StoredToken, now: number): Verdict | undefined {
  if (token.revokedAt !== null) return { refused: 'revoked', at: token.revokedAt };
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now) return { refused: 'expired', at: token.expiresAt };
  return undefined;
}

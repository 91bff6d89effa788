import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { customAlphabet } from 'nanoid';
import type { Database } from '../db/schema.ts';
import type { Role } from './roles.ts';

export interface StoredToken {
  id: string;
  role: Role;
  agentId: string | null;
  name: string | null;
}

const adminBootstrapLock = 0x6d6361646d;
const tokenId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);

/** A new secret: `mc_` and 32 random bytes, base64url. Shown once, never stored. */
export function newSecret(): string {
  return `mc_${randomBytes(32).toString('base64url')}`;
}

/** What is stored instead of the secret. Secrets are random, so a plain SHA-256 suffices (no stretching). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** Stores a token by its hash and returns its id. */
export async function insertToken(db: Kysely<Database>, secret: string, role: Role, agentId: string | null, name: string | null): Promise<string> {
  const id = `tok_${tokenId()}`;
  await db.insertInto('tokens').values({ id, token_hash: hashSecret(secret), role, agent_id: agentId, name }).execute();
  return id;
}

/** The token whose secret hashes to `hash`, if any. */
export async function findTokenByHash(db: Kysely<Database>, hash: string): Promise<StoredToken | undefined> {
  const row = await db.selectFrom('tokens').select(['id', 'role', 'agent_id', 'name']).where('token_hash', '=', hash).executeTakeFirst();
  return row && { id: row.id, role: row.role as Role, agentId: row.agent_id, name: row.name };
}

/** Registers a secret the operator chose (an environment variable), unless it already is. */
export async function registerToken(db: Kysely<Database>, secret: string, role: Role, name: string): Promise<void> {
  if (!(await findTokenByHash(db, hashSecret(secret)))) await insertToken(db, secret, role, null, name);
}

/** True when at least one admin token exists. */
export async function hasAdminToken(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('tokens').select('id').where('role', '=', 'admin').limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Makes sure the hub can be administered: registers `MC_ADMIN_TOKEN` when given, else on the
 * first start mints an admin token and returns its secret, the one time it is ever seen.
 */
export async function ensureAdminToken(db: Kysely<Database>, configured: string | undefined): Promise<string | undefined> {
  return db.transaction().execute(async (trx) => {
    // Two hubs starting together must not both mint one.
    await sql`SELECT pg_advisory_xact_lock(${adminBootstrapLock})`.execute(trx);
    if (configured !== undefined) {
      await registerToken(trx, configured, 'admin', 'MC_ADMIN_TOKEN');
      return undefined;
    }
    if (await hasAdminToken(trx)) return undefined;
    const secret = newSecret();
    await insertToken(trx, secret, 'admin', null, 'first start');
    return secret;
  });
}

import { hash, randomBytes } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import { customAlphabet } from 'nanoid';
import type { Database, TokensTable } from '../db/schema.ts';
import type { TokenView } from '../../contracts/views.ts';
import type { Role } from '../../contracts/vocabulary.ts';
import { nameOf } from './roles.ts';

/** A token as the hub stores it, with its role typed. */
export interface StoredToken extends TokenView {
  role: Role;
}

const adminLock = 0x6d6361646d;
const tokenId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);
const columns = ['id', 'role', 'agent_id', 'name', 'created_at', 'expires_at', 'revoked_at', 'last_used_at', 'project_id', 'person'] as const;

/** A new secret: `mc_` and 32 random bytes, base64url. Shown once, never stored. */
export function newSecret(): string {
  return `mc_${randomBytes(32).toString('base64url')}`;
}

/** What is stored instead of the secret. Secrets are random, so a plain SHA-256 suffices (no stretching). */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'base64url');
}

/** What a token is minted with, besides its secret: unset fields are null (no expiry, every project, no person). */
export interface TokenGrant {
  role: Role;
  agentId?: string | null;
  name?: string | null;
  expiresAt?: Date | null;
  projectId?: string | null;
  person?: string | null;
}

/** Stores a token by its hash and returns its id. */
export async function insertToken(db: Kysely<Database>, secret: string, grant: TokenGrant): Promise<string> {
  const id = `tok_${tokenId()}`;
  await db
    .insertInto('tokens')
    .values({ id, token_hash: hashSecret(secret), role: grant.role, agent_id: grant.agentId ?? null, name: grant.name ?? null, expires_at: grant.expiresAt ?? null, project_id: grant.projectId ?? null, person: grant.person ?? null })
    .execute();
  return id;
}

/** The token whose secret hashes to `hash`, if any, whether or not it is still good. */
export async function findTokenByHash(db: Kysely<Database>, hash: string): Promise<StoredToken | undefined> {
  const row = await db.selectFrom('tokens').select(columns).where('token_hash', '=', hash).executeTakeFirst();
  return row && storedToken(row);
}

/** The token whose secret hashes to `hash`, if any, marked as used now. */
export async function useToken(db: Kysely<Database>, hash: string): Promise<StoredToken | undefined> {
  const row = await db.updateTable('tokens').set({ last_used_at: sql<Date>`now()` }).where('token_hash', '=', hash).returning(columns).executeTakeFirst();
  return row && storedToken(row);
}

/** Every token, oldest first. */
export async function listTokens(db: Kysely<Database>): Promise<StoredToken[]> {
  const rows = await db.selectFrom('tokens').select(columns).orderBy('created_at').orderBy('id').execute();
  return rows.map(storedToken);
}

/** The tokens people hold (every role but agent and healer, whose actors name no token), all or those among `ids`, revoked ones too. */
export async function findPeopleTokens(db: Kysely<Database>, ids?: readonly string[]): Promise<StoredToken[]> {
  if (ids?.length === 0) return [];
  let query = db.selectFrom('tokens').select(columns).where('role', 'not in', ['agent', 'healer']);
  if (ids !== undefined) query = query.where('id', 'in', ids);
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return rows.map(storedToken);
}

/** Revokes the token `id` (a second revocation keeps the first time); undefined when there is no such token. */
export async function revokeToken(db: Kysely<Database>, id: string): Promise<StoredToken | undefined> {
  const row = await db
    .updateTable('tokens')
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();
  return row && storedToken(row);
}

/** Revokes every token bound to `agentId` (minted by `mintedBy`, when given: an agent's end, replayed by a rebuild, spares a token minted after it). */
export async function revokeAgentTokens(db: Kysely<Database>, agentId: string, mintedBy?: Date): Promise<void> {
  let update = db.updateTable('tokens').set({ revoked_at: sql<Date>`now()` }).where('role', '=', 'agent').where('agent_id', '=', agentId).where('revoked_at', 'is', null);
  if (mintedBy !== undefined) update = update.where('created_at', '<=', mintedBy);
  await update.execute();
}

/** The ids among `ids` of the tokens that are revoked or have expired. */
export async function refusedTokenIds(db: Kysely<Database>, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('tokens')
    .select('id')
    .where('id', 'in', ids)
    .where((eb) => eb.or([eb('revoked_at', 'is not', null), eb('expires_at', '<=', sql<Date>`now()`)]))
    .execute();
  return rows.map((r) => r.id);
}

/** Registers a secret the operator chose (an environment variable), unless it already is (revoked ones stay revoked). */
export async function registerToken(db: Kysely<Database>, secret: string, role: Role, name: string): Promise<void> {
  if (!(await findTokenByHash(db, hashSecret(secret)))) await insertToken(db, secret, { role, name });
}

/** True when at least one admin token exists. */
export async function hasAdminToken(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('tokens').select('id').where('role', '=', 'admin').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** True when an admin token other than `except` is neither revoked nor ever expires. */
export async function hasLastingAdminBesides(db: Kysely<Database>, except: string): Promise<boolean> {
  const row = await db
    .selectFrom('tokens')
    .select('id')
    .where('role', '=', 'admin')
    .where('id', '!=', except)
    .where('revoked_at', 'is', null)
    .where('expires_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Holds the admin tokens still until the transaction ends, so two changes to them run one after the other. */
export async function lockAdminTokens(db: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${adminLock})`.execute(db);
}

/**
 * Makes sure the hub can be administered: registers `MC_ADMIN_TOKEN` when given, else on the
 * first start mints an admin token and returns its secret, the one time it is ever seen.
 */
export async function ensureAdminToken(db: Kysely<Database>, configured: string | undefined): Promise<string | undefined> {
  return db.transaction().execute(async (trx) => {
    // Two hubs starting together must not both mint one.
    await lockAdminTokens(trx);
    if (configured !== undefined) {
      await registerToken(trx, configured, 'admin', 'MC_ADMIN_TOKEN');
      return undefined;
    }
    if (await hasAdminToken(trx)) return undefined;
    const secret = newSecret();
    await insertToken(trx, secret, { role: 'admin', name: 'first start' });
    return secret;
  });
}

function storedToken(row: Pick<Selectable<TokensTable>, (typeof columns)[number]>): StoredToken {
  return {
    id: row.id,
    role: row.role as Role,
    agentId: row.agent_id,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    projectId: row.project_id,
    person: row.person,
  };
}

/** What a person sees for a token's holder: the person it belongs to, else its name (see nameOf). */
export function holderName(token: Pick<StoredToken, 'role' | 'id' | 'agentId' | 'name' | 'person'>): string {
  return token.person ?? nameOf(token.role, token.id, token.agentId, token.name);
}

/** The person of the config file behind an actor: a one-tap link's `person:ann`, or a token that belongs to one; else undefined. */
export async function personOf(db: Kysely<Database>, actor: string): Promise<string | undefined> {
  if (actor.startsWith('person:')) return actor.slice('person:'.length);
  const tokenId = actor.slice(actor.indexOf(':') + 1);
  if (!tokenId.startsWith('tok_')) return undefined;
  const row = await db.selectFrom('tokens').select('person').where('id', '=', tokenId).executeTakeFirst();
  return row?.person ?? undefined;
}

/** The name of the person behind an actor (`operator:tok_...` → ann, `person:ann` → ann); a service's actor (`hub`, `healer`) as it is. */
export async function personName(db: Kysely<Database>, actor: string): Promise<string> {
  if (actor.startsWith('person:')) return actor.slice('person:'.length);
  const tokenId = actor.slice(actor.indexOf(':') + 1);
  if (!tokenId.startsWith('tok_')) return actor;
  const [token] = await findPeopleTokens(db, [tokenId]);
  return token ? holderName(token) : actor;
}

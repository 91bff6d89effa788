import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What a one-tap link grants: one answer to one decision, by the one person it was sent to, once
 * (its `nonce`), until the decision's deadline. The link carries this signed; no token is in it.
 */
export interface AnswerClaim {
  decisionId: string;
  person: string;
  outcome: string;
  /** Unique per link: a link is used once. */
  nonce: string;
  /** Unix seconds: the decision's deadline. */
  expiresAt: number;
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(`answer-link.${payload}`).digest();
}

/** The link's path segment: the claim in base64url JSON, a dot, and its HMAC-SHA256. */
export function signClaim(key: Buffer, claim: AnswerClaim): string {
  const payload = Buffer.from(JSON.stringify([claim.decisionId, claim.person, claim.outcome, claim.nonce, claim.expiresAt])).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

/** The claim a link grants, checked in constant time; undefined when it was not signed by this hub's key or is malformed. */
export function readClaim(key: Buffer, link: string): AnswerClaim | undefined {
  // Room for the longest answer an option may be (200 code points, each up to 12 characters once JSON-escaped and in base64).
  const match = /^([A-Za-z0-9_-]{1,4096})\.([A-Za-z0-9_-]{43})$/.exec(link);
  if (match === null) return undefined;
  const [, payload, signature] = match as unknown as [string, string, string];
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const [decisionId, person, outcome, nonce, expiresAt] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown[];
    if (typeof decisionId !== 'string' || typeof person !== 'string' || typeof outcome !== 'string' || typeof nonce !== 'string' || typeof expiresAt !== 'number') return undefined;
    return { decisionId, person, outcome, nonce, expiresAt };
  } catch {
    return undefined;
  }
}

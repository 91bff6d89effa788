import type { MiddlewareHandler } from 'hono';
import { HubError } from '../errors.ts';
import type { HubEnv } from '../http/env.ts';
import { type Permission, type Principal, aRole, permissions } from './roles.ts';
import type { TokenVerifier, Verdict } from './verifier.ts';

const bearer = /^Bearer ([\x21-\x7E]{1,512})$/;

/**
 * Finds the caller: `Authorization: Bearer <token>`, or `?access_token=` on `GET /events`
 * (EventSource cannot set headers). No token leaves the request anonymous; a wrong one is a 401.
 */
export function authenticate(verifier: TokenVerifier): MiddlewareHandler<HubEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    let secret: string | undefined;
    if (header !== undefined) {
      secret = bearer.exec(header)?.[1];
      if (secret === undefined) throw unauthorized('send the token as "Authorization: Bearer <token>"');
    } else if (c.req.method === 'GET' && c.req.path === '/events') {
      secret = c.req.query('access_token') || undefined;
    }
    if (secret !== undefined) {
      const verdict = await verifier.verify(secret);
      if ('refused' in verdict) throw refusal(verdict);
      c.set('principal', verdict.principal);
    }
    await next();
  };
}

/** Lets through only the roles the permission table lists for this endpoint. */
export function allow(permission: Permission): MiddlewareHandler<HubEnv> {
  const allowed: readonly string[] = permissions[permission];
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw unauthorized(`${permission} needs a token: send "Authorization: Bearer <token>"`);
    if (!allowed.includes(principal.role)) {
      throw new HubError('forbidden', `${aRole(principal.role)} token may not call ${permission}; allowed: ${allowed.join(', ')}`);
    }
    await next();
  };
}

/** The caller of a route guarded by `allow`. */
export function principalOf(c: { get(key: 'principal'): Principal | undefined }): Principal {
  const principal = c.get('principal');
  if (!principal) throw unauthorized('this endpoint needs a token');
  return principal;
}

/**
 * The RFC 6750 challenge of a 401: `error="invalid_token"` when a token was sent and refused
 * (unknown, revoked, expired), so a client knows a new token, not the same one again, is the fix.
 * Every 401 carries one (`app.onError` adds the plain one where none was given).
 */
export function bearerChallenge(tokenRefused: boolean): Record<string, string> {
  return { 'www-authenticate': tokenRefused ? 'Bearer realm="mission-control", error="invalid_token"' : 'Bearer realm="mission-control"' };
}

function refusal(verdict: Exclude<Verdict, { principal: Principal }>): HubError {
  const challenge = bearerChallenge(true);
  if (verdict.refused === 'revoked') return new HubError('token_revoked', `the token was revoked at ${verdict.at}; ask an admin for a new one (POST /tokens)`, undefined, challenge);
  if (verdict.refused === 'expired') return new HubError('token_expired', `the token expired at ${verdict.at}; ask an admin for a new one (POST /tokens)`, undefined, challenge);
  return new HubError('unauthorized', 'the token is unknown; ask an admin for one (POST /tokens)', undefined, challenge);
}

function unauthorized(message: string): HubError {
  return new HubError('unauthorized', message, undefined, bearerChallenge(false));
}

import { Store } from './store.ts';
import { problemStatus, problemText } from './problem.ts';
import type { Role, Whoami } from './types.ts';

/** Where the token is kept: `sessionStorage` in the browser (gone when the tab closes), a map in tests. */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type SessionState =
  | { status: 'signed_out'; error?: string }
  | { status: 'checking' }
  | { status: 'signed_in'; token: string; who: Whoami; canAct: boolean };

export const tokenKey = 'mission-control.token';

/** Why an agent token cannot sign in; the login form shows it too. */
export const agentTokenRefusal =
  'Agent tokens cannot sign in: an agent token speaks for one agent process, and whatever you did with it would be recorded as that agent. Sign in with an operator or viewer token (an admin mints one with POST /tokens).';

/**
 * Splits a start-up URL's hash into its token and the rest: `#token=mc_...` gives the token and
 * `''`; `#/inbox/dec_1&token=mc_...` gives the token and `#/inbox/dec_1`. No token: the hash as is.
 */
export function splitStartupHash(hash: string): { token?: string; rest: string } {
  const parts = hash.replace(/^#/, '').split('&');
  const tokenPart = parts.find((part) => /^\/?token=/.test(part));
  if (tokenPart === undefined) return { rest: hash };
  const token = decodeURIComponent(tokenPart.replace(/^\/?token=/, '')).trim();
  const rest = parts.filter((part) => part !== tokenPart).join('&');
  return { ...(token ? { token } : {}), rest: rest ? `#${rest}` : '' };
}

/** True for the roles that act (pause, resolve, spawn...); the others only watch, and see no action buttons. */
export function mayAct(role: Role): boolean {
  return role === 'admin' || role === 'operator';
}

/** Why a role may not use the dashboard, or undefined when it may. */
export function refusalFor(who: Whoami): string | undefined {
  return who.role === 'agent' ? agentTokenRefusal : undefined;
}

/** Signing in and out: checks a token with `GET /whoami`, keeps it in `storage`, and knows the role. */
export class Session {
  readonly state = new Store<SessionState>({ status: 'signed_out' });
  readonly #storage: TokenStorage;
  readonly #whoami: (token: string) => Promise<Whoami>;

  constructor(storage: TokenStorage, whoami: (token: string) => Promise<Whoami>) {
    this.#storage = storage;
    this.#whoami = whoami;
  }

  /** Signs in with the start-up URL's token, else the stored one; stays signed out when there is neither. */
  async resume(startupToken: string | undefined): Promise<void> {
    const token = startupToken ?? this.#storage.getItem(tokenKey) ?? undefined;
    if (token) await this.signIn(token);
  }

  async signIn(token: string): Promise<void> {
    this.state.set({ status: 'checking' });
    try {
      const who = await this.#whoami(token);
      const refusal = refusalFor(who);
      if (refusal) return this.signOut(refusal);
      this.#storage.setItem(tokenKey, token);
      this.state.set({ status: 'signed_in', token, who, canAct: mayAct(who.role) });
    } catch (error) {
      const status = problemStatus(error);
      // Forget a token the hub refused; keep one that failed only because the hub was unreachable.
      if (status === 401 || status === 403) this.#storage.removeItem(tokenKey);
      this.state.set({ status: 'signed_out', error: status === 401 ? `The hub refused this token: ${problemText(error)}` : problemText(error) });
    }
  }

  signOut(error?: string): void {
    this.#storage.removeItem(tokenKey);
    this.state.set(error ? { status: 'signed_out', error } : { status: 'signed_out' });
  }
}

import type { TokenReceipt, TokenRequest, TokenView } from '../views.ts';
import { type CallOptions, HubResource, segment } from './resource.ts';

/** Tokens (admin only). */
export class Tokens extends HubResource {
  /** Mints a token; the answer holds the secret, shown this once. */
  create(request: TokenRequest, options: CallOptions = {}): Promise<TokenReceipt> {
    return this.send({ method: 'POST', path: '/tokens', body: request, idempotent: false }, options);
  }

  /** Every token, revoked ones too; never a secret. */
  async list(options: CallOptions = {}): Promise<TokenView[]> {
    return (await this.send<{ tokens: TokenView[] }>({ method: 'GET', path: '/tokens', idempotent: true }, options)).tokens;
  }

  /** Revokes a token: every hub refuses it within its cache time. */
  revoke(id: string, options: CallOptions = {}): Promise<TokenView> {
    return this.send({ method: 'DELETE', path: `/tokens/${segment(id)}`, idempotent: true }, options);
  }
}

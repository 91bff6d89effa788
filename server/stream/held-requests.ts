import { HubError } from '../errors.ts';

// Nothing says when one of the token's held requests ends: long enough not to be hammered, short
// enough that a freed slot is taken soon.
const retryAfterSeconds = 5;

/** Calls `onRefused` once the token stops being good (revoked, expired); the answer stops watching. */
export type TokenWatch = (tokenId: string, onRefused: () => void) => () => void;

/**
 * The requests each token holds open on this hub: SSE streams and decision waits, counted
 * together, since both hold a socket and a fan-out subscriber for as long as the client likes,
 * and both ended when their token is revoked or expires. Per hub, in memory: a count in the
 * database would outlive a hub that crashed while holding requests, and each hub's sockets and
 * memory are what the cap protects.
 */
export class HeldRequests {
  readonly #limit: number;
  readonly #watch: TokenWatch;
  readonly #open = new Map<string, number>();

  constructor(limit: number, watch: TokenWatch) {
    this.#limit = limit;
    this.#watch = watch;
  }

  /**
   * Counts one more held request for `tokenId`, or throws 429 `too_many_streams`; `onRefused` ends
   * it if the token is revoked or expires meanwhile. Call the answer, once or more, to let it go.
   */
  hold(tokenId: string, onRefused: () => void): () => void {
    const open = this.#open.get(tokenId) ?? 0;
    if (open >= this.#limit) {
      throw new HubError('too_many_streams', `this token already holds ${open} open streams and decision waits (the most allowed); close one first`, undefined, {
        'retry-after': String(retryAfterSeconds),
      });
    }
    this.#open.set(tokenId, open + 1);
    const unwatch = this.#watch(tokenId, onRefused);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      unwatch();
      const left = (this.#open.get(tokenId) ?? 1) - 1;
      if (left > 0) this.#open.set(tokenId, left);
      else this.#open.delete(tokenId);
    };
  }
}

import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { HubError } from '../errors.ts';
import type { HubEnv } from './env.ts';

/** Token buckets by key; refilled lazily, forgotten once full again. */
class Buckets {
  private readonly rate: number;
  private readonly burst: number;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(rate: number, burst: number) {
    this.rate = rate;
    this.burst = burst;
  }

  /** Takes one token for `key`; when none is left, the seconds until one is. */
  take(key: string, now: number): number | undefined {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    if (this.buckets.size > 100_000) this.sweep(now);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return (1 - bucket.tokens) / this.rate;
  }

  private sweep(now: number): void {
    for (const [key, b] of this.buckets) if (b.tokens + ((now - b.at) / 1000) * this.rate >= this.burst) this.buckets.delete(key);
  }
}

/** Which bucket a request draws from; undefined skips the limit. */
export type RateKey = (c: Context<HubEnv>) => string | undefined;

export const byAddress: RateKey = (c) => getConnInfo(c).remote.address ?? 'unknown';
export const byToken: RateKey = (c) => c.get('principal')?.tokenId;

/** 429 with `Retry-After` once a key (a token, a client address) goes over its rate. */
export function rateLimit(perSecond: number, burst: number, keyOf: RateKey, who: string): MiddlewareHandler<HubEnv> {
  const buckets = new Buckets(perSecond, burst);
  return async (c, next) => {
    const key = keyOf(c);
    const wait = key === undefined ? undefined : buckets.take(key, performance.now());
    if (wait !== undefined) {
      throw new HubError('rate_limited', `too many requests ${who}; retry after the Retry-After seconds`, undefined, { 'retry-after': String(Math.max(1, Math.ceil(wait))) });
    }
    await next();
  };
}

import { invalidInput } from '../errors.ts';
import type { EventFilter } from '../log/filter.ts';
import { type Attempt, DeliveryStatus, goneReason } from './model.ts';

/**
 * Refuses, with a 400 naming the field, a URL that is not http(s) or a type pattern that names no
 * catalog type (`decision.*` must be an area of the catalog, `x.` any custom type or area).
 */
export function checkSubscription(url: string, types: readonly string[], catalog: readonly string[]): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // Reported below with the other refusals of the URL.
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
    throw invalidInput([{ path: '/url', message: 'must be an http or https URL (such as https://example.com/hooks/mission-control)' }]);
  }
  types.forEach((pattern, i) => {
    if (knownPattern(pattern, catalog)) return;
    throw invalidInput([{ path: `/types/${i}`, message: `names no event type: use a catalog type (such as agent.failed), an area of them (such as decision.*), or a custom x. type (such as x.* or x.deploy)` }]);
  });
}

function knownPattern(pattern: string, catalog: readonly string[]): boolean {
  if (/^x\.[^*\s]*\*?$/.test(pattern)) return true;
  if (pattern.endsWith('.*')) return catalog.some((type) => type.startsWith(pattern.slice(0, -1)));
  return catalog.includes(pattern);
}

/** The log filter of a webhook's patterns: exact types, and `area.*` kept as its prefix `area.`. */
export function filterOf(types: readonly string[]): Pick<EventFilter, 'types' | 'typePrefixes'> {
  return { types: types.filter((t) => !t.endsWith('*')), typePrefixes: types.filter((t) => t.endsWith('*')).map((t) => t.slice(0, -1)) };
}

/** The delivery policy, from the `webhooks` config. */
export interface DeliveryPolicy {
  maxBackoffMs: number;
  maxAttempts: number;
  pauseAfterFailures: number;
}

/** What an attempt means for its delivery and its webhook. */
export type Verdict =
  | { kind: 'delivered' }
  /** The receiver is gone: pause the webhook; the delivery waits for the resume. */
  | { kind: 'gone'; reason: string }
  /** Try again after `delayMs`, or give up (`failed`) once the attempts are spent. */
  | { kind: 'failed'; status: typeof DeliveryStatus.pending | typeof DeliveryStatus.failed; delayMs: number };

/** Judges one attempt, the `attempts`-th of its delivery. `random` is in [0, 1). */
export function judgeAttempt(attempt: Attempt, attempts: number, policy: DeliveryPolicy, random: number): Verdict {
  if (attempt.status !== null && attempt.status >= 200 && attempt.status < 300) return { kind: 'delivered' };
  if (attempt.status === 410) return { kind: 'gone', reason: goneReason };
  const status = attempts >= policy.maxAttempts ? DeliveryStatus.failed : DeliveryStatus.pending;
  return { kind: 'failed', status, delayMs: backoffMs(attempts, policy.maxBackoffMs, random) };
}

/**
 * The wait before the next attempt after `attempts` failed ones: full jitter (anywhere from 0 to
 * the ceiling), the ceiling doubling from 1 s up to `maxMs`, so receivers that come back are not
 * hit by every hub's retries at the same moment.
 */
export function backoffMs(attempts: number, maxMs: number, random: number): number {
  const ceiling = Math.min(maxMs, 1000 * 2 ** Math.min(30, Math.max(0, attempts - 1)));
  return Math.floor(random * ceiling);
}

/** Why a webhook is paused after `failures` failed deliveries in a row, or undefined while it may go on. */
export function pauseReason(failures: number, policy: DeliveryPolicy): string | undefined {
  return failures >= policy.pauseAfterFailures ? `${failures} deliveries in a row failed` : undefined;
}

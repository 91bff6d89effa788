import { withDeadline } from '../../client/deadline.ts';
import type { Attempt } from '../model.ts';

/** What one POST carries: its headers and its body. */
export interface HttpPost {
  headers: Record<string, string>;
  body: string;
}

/**
 * POSTs once and tells how it went; never throws. Redirects are not followed (a receiver that
 * moved is told about, not chased with a signed body), and the answer's body is not read: only
 * its status counts, and the connection is freed at once.
 */
export async function postTo(url: string, init: HttpPost, timeoutMs: number, signal: AbortSignal): Promise<Attempt> {
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  try {
    const res = await withDeadline(timeoutMs, signal, async (deadline) => {
      const answer = await fetch(url, { method: 'POST', ...init, redirect: 'manual', signal: deadline });
      await answer.body?.cancel().catch(() => {});
      return answer;
    });
    return { status: res.status, error: res.ok ? null : `the receiver answered ${res.status}`, durationMs: durationMs() };
  } catch (error) {
    return { status: null, error: unanswered(error, signal, timeoutMs), durationMs: durationMs() };
  }
}

/** Why a POST got no answer: stopped by the caller, timed out, or the receiver was out of reach. */
function unanswered(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return 'stopped before the receiver answered';
  if (error instanceof DOMException && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  return `the receiver could not be reached${cause ? ` (${cause})` : ''}`;
}

/** The receiver as logs may name it: its origin only, since the path or query may be the receiver's own credential (a Slack or ntfy URL). */
export function receiverOf(url: string): string {
  if (!URL.canParse(url)) return 'an unparsable URL';
  return new URL(url).origin;
}

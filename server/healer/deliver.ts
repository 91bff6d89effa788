import { childSpan, traceparentOf } from '../../contracts/trace-context.ts';
import { withDeadline } from '../client/deadline.ts';
import { problemError, unreachable } from '../client/errors.ts';
import { webhookHeaders } from '../webhooks/signature.ts';
import type { OutboxEntry } from './state.ts';

/** The hub's answer to a callback. */
export interface CallbackReceipt {
  eventId?: string;
  seq?: number;
  deduped?: boolean;
  /** heal.escalated: the decision the hub opened for a human. */
  decisionId?: string;
}

export interface CallbackTarget {
  /** The hub's base URL, without a trailing slash. */
  url: string;
  secret: string;
  fetch: typeof fetch;
  now(): Date;
  /** The id of the log the hub serves: signed into each callback, so no other hub takes it. */
  logId(signal: AbortSignal): Promise<string>;
}

/** Sends one callback, signed at the moment of sending (the signature is its only credential); throws a HubClientError when the hub does not take it. */
export async function postCallback(target: CallbackTarget, entry: OutboxEntry, signal: AbortSignal): Promise<CallbackReceipt> {
  const body = JSON.stringify({ type: entry.type, logId: await target.logId(signal), data: entry.data });
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...webhookHeaders(target.secret, entry.webhookId, body, target.now()),
    // The heal is logged in the failure's trace, as a span of the healer's.
    ...(entry.trace ? { traceparent: traceparentOf(childSpan(entry.trace)) } : {}),
  };
  const answer = await reach(target.url, signal, async (deadline) => {
    const res = await target.fetch(`${target.url}/healer/callbacks`, { method: 'POST', headers, body, signal: deadline });
    return res.ok ? { receipt: (await res.json().catch(() => ({}))) as CallbackReceipt } : { refused: await problemError(res, 'POST', '/healer/callbacks') };
  });
  if ('refused' in answer) throw answer.refused;
  return answer.receipt;
}

/** Reads the hub's log id from its public `/versionz` the first time it answers, and keeps it. */
export function hubLogId(url: string, doFetch: typeof fetch): (signal: AbortSignal) => Promise<string> {
  let known: string | undefined;
  return async (signal) => {
    if (known !== undefined) return known;
    const answer = await reach(url, signal, async (deadline) => {
      const res = await doFetch(`${url}/versionz`, { headers: { accept: 'application/json' }, signal: deadline });
      return res.ok ? { logId: ((await res.json()) as { logId: string }).logId } : { refused: await problemError(res, 'GET', '/versionz') };
    });
    if ('refused' in answer) throw answer.refused;
    known = answer.logId;
    return known;
  };
}

/** One exchange with the hub within 15 s: the caller's stop as it is, anything else that went wrong as the hub being out of reach. */
async function reach<T>(url: string, signal: AbortSignal, work: (deadline: AbortSignal) => Promise<T>): Promise<T> {
  try {
    return await withDeadline(15_000, signal, work);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw unreachable(url, error);
  }
}

/** True for an answer that sending the same bytes again cannot change: the body itself was refused. */
export function refusedForGood(status: number): boolean {
  return status === 400 || status === 413 || status === 422;
}

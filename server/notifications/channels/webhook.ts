import { webhookHeaders } from '../../webhooks/signature.ts';
import type { Attempt, Notice } from '../model.ts';
import { postTo } from './http.ts';

/**
 * POSTs `body` signed the Standard Webhooks way, so a receiver checks it exactly as it checks the
 * hub's subscription webhooks; `deliveryId` is the `webhook-id` it dedupes retries by.
 */
export function sendWebhook(url: string, secret: string, deliveryId: string, body: string, now: Date, timeoutMs: number, signal: AbortSignal): Promise<Attempt> {
  const headers = { 'content-type': 'application/json', 'user-agent': 'mission-control-webhooks', ...webhookHeaders(secret, deliveryId, body, now) };
  return postTo(url, { headers, body }, timeoutMs, signal);
}

/**
 * What a person's generic webhook receives: the event envelope as subscription webhooks send it,
 * plus a `notification` saying what this person is told about it, with every key present (null
 * when unknown) so a receiver can rely on the shape.
 */
export function webhookBody(notice: Notice): string {
  const { kind, person, title, text, risk, deadline, decisionId, page, answers } = notice;
  const notification = { kind, person, title, text, risk, deadline: deadline ?? null, decisionId: decisionId ?? null, page: page ?? null, answers };
  return JSON.stringify({ ...notice.event, notification });
}

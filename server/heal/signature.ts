import { createHmac, timingSafeEqual } from 'node:crypto';

/** A parsed `whsec_<base64>` secret: the HMAC key is the decoded bytes. */
export function webhookKey(secret: string): Buffer {
  if (!secret.startsWith('whsec_')) throw new Error('the healer secret must have the form whsec_<base64>');
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  if (key.length < 16) throw new Error('the healer secret must hold at least 16 bytes');
  return key;
}

export interface WebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * Checks a Standard Webhooks signature: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, any of
 * the space-separated signatures may match, compared in constant time, and the timestamp must be
 * within `toleranceSec` of now. Returns why it is refused, or undefined when it holds.
 */
export function webhookRefusal(key: Buffer, headers: WebhookHeaders, body: string, nowSec: number, toleranceSec = 300): string | undefined {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return 'the webhook-id, webhook-timestamp and webhook-signature headers are required';
  if (!/^\d{1,12}$/.test(timestamp)) return 'webhook-timestamp must be unix seconds';
  if (Math.abs(nowSec - Number(timestamp)) > toleranceSec) return `webhook-timestamp is more than ${toleranceSec} s from the hub's clock`;
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  const matches = signature.split(' ').some((candidate) => {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? undefined : 'webhook-signature does not match';
}

import { createHmac, timingSafeEqual } from 'node:crypto';

// Standard Webhooks: the healer signs its callbacks with this module and the hub checks them with
// it, so both read the secret alike and a callback one side signs is one the other accepts.

const secretPrefix = 'whsec_';

/** The HMAC key of a Standard Webhooks secret `whsec_<base64>`: the decoded bytes; throws when the secret is malformed. */
export function webhookKey(secret: string): Buffer {
  const encoded = secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : '';
  // Buffer.from skips characters that are not base64, so check them first: a mistyped secret
  // would otherwise become another key, and every signature would fail to match.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new Error('the webhook secret must look like whsec_<base64> (e.g. whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw)');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 16) throw new Error('the webhook secret must hold at least 16 bytes after whsec_');
  return key;
}

function mac(key: Buffer, id: string, timestamp: string | number, body: string): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
}

/** The `webhook-signature` header value: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`. */
export function signWebhook(secret: string, id: string, timestamp: string | number, body: string): string {
  return `v1,${mac(webhookKey(secret), id, timestamp, body).toString('base64')}`;
}

/** The three Standard Webhooks headers for one delivery of `body`, stamped at `now`. */
export function webhookHeaders(secret: string, id: string, body: string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signWebhook(secret, id, timestamp, body) };
}

export interface WebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * Checks a delivery: any of the space-separated `v1,` signatures may match, compared in constant
 * time, and the timestamp must be within `toleranceSec` of now. Returns why it is refused, or
 * undefined when it holds.
 */
export function webhookRefusal(key: Buffer, headers: WebhookHeaders, body: string, nowSec: number, toleranceSec = 300): string | undefined {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return 'the webhook-id, webhook-timestamp and webhook-signature headers are required';
  if (!/^\d{1,12}$/.test(timestamp)) return 'webhook-timestamp must be unix seconds';
  if (Math.abs(nowSec - Number(timestamp)) > toleranceSec) return `webhook-timestamp is more than ${toleranceSec} s from the hub's clock`;
  const expected = mac(key, id, timestamp, body);
  const matches = signature.split(' ').some((candidate) => {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? undefined : 'webhook-signature does not match';
}

import { createHmac } from 'node:crypto';

const secretPrefix = 'whsec_';

/** The HMAC key of a Standard Webhooks secret `whsec_<base64>`: the decoded bytes; throws when the secret is malformed. */
export function webhookKey(secret: string): Buffer {
  const encoded = secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new Error('the webhook secret must look like whsec_<base64> (e.g. whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw)');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 16) throw new Error('the webhook secret must hold at least 16 bytes after whsec_');
  return key;
}

/** The `webhook-signature` header value: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`. */
export function signWebhook(secret: string, id: string, timestamp: string | number, body: string): string {
  const mac = createHmac('sha256', webhookKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers for one delivery of `body`, stamped at `now`. */
export function webhookHeaders(secret: string, id: string, body: string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signWebhook(secret, id, timestamp, body) };
}

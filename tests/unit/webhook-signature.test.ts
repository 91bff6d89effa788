import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { signWebhook, webhookHeaders, webhookKey, webhookRefusal } from '../../server/webhooks/signature.ts';

// Computed here from the Standard Webhooks rules, independently of the module under test.
function expected(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

describe('signWebhook', () => {
  test('signs "<id>.<timestamp>.<body>" with the decoded secret (the Standard Webhooks vector)', () => {
    // The example from the Standard Webhooks specification's reference libraries.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const body = '{"test": 2432232314}';
    const signature = signWebhook(secret, id, '1614265330', body);
    assert.equal(signature, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    assert.equal(signature, expected(secret, id, '1614265330', body));
  });

  test('matches an independent HMAC for a random secret and a heal callback', () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const id = 'heal_ev_1_1_completed';
    const body = JSON.stringify({ type: 'heal.completed', data: { failureEventId: 'ev_1', playbook: 'p', action: 'respawn', attempts: 1 } });
    assert.equal(signWebhook(secret, id, 1700000000, body), expected(secret, id, '1700000000', body));
  });

  test('a different body, id or timestamp gives a different signature', () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const base = signWebhook(secret, 'a', '1', 'x');
    assert.notEqual(signWebhook(secret, 'a', '1', 'y'), base);
    assert.notEqual(signWebhook(secret, 'b', '1', 'x'), base);
    assert.notEqual(signWebhook(secret, 'a', '2', 'x'), base);
  });

  test('refuses a secret without the whsec_ prefix or with no base64 after it', () => {
    assert.throws(() => webhookKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'), /whsec_<base64>/);
    assert.throws(() => webhookKey('whsec_'), /whsec_<base64>/);
    assert.throws(() => webhookKey('whsec_not base64!'), /whsec_<base64>/);
    assert.throws(() => webhookKey('whsec_AAAA'), /at least 16 bytes/);
  });
});

describe('webhookHeaders', () => {
  test('stamps the time in unix seconds and signs with it', () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const headers = webhookHeaders(secret, 'heal_x_0_escalated', '{}', new Date('2026-01-01T00:00:10.900Z'));
    assert.equal(headers['webhook-id'], 'heal_x_0_escalated');
    assert.equal(headers['webhook-timestamp'], String(Date.parse('2026-01-01T00:00:10Z') / 1000));
    assert.equal(headers['webhook-signature'], expected(secret, 'heal_x_0_escalated', headers['webhook-timestamp']!, '{}'));
  });
});

describe('webhookRefusal', () => {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const body = JSON.stringify({ type: 'heal.completed', data: { failureEventId: 'ev_1' } });
  const now = new Date('2026-01-01T00:00:00Z');
  const nowSec = now.getTime() / 1000;
  const delivered = (headers: Record<string, string>) => ({ id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'] });

  test('accepts what webhookHeaders signed with the same secret', () => {
    assert.equal(webhookRefusal(webhookKey(secret), delivered(webhookHeaders(secret, 'heal_1', body, now)), body, nowSec), undefined);
  });

  test('reads a secret with or without its base64 padding as the same key', () => {
    const padded = `whsec_${randomBytes(20).toString('base64')}`;
    assert.ok(padded.endsWith('='));
    const headers = delivered(webhookHeaders(padded, 'heal_1', body, now));
    assert.equal(webhookRefusal(webhookKey(padded.replace(/=+$/, '')), headers, body, nowSec), undefined);
  });

  test('accepts a delivery when any one of several signatures matches', () => {
    const headers = delivered(webhookHeaders(secret, 'heal_1', body, now));
    assert.equal(webhookRefusal(webhookKey(secret), { ...headers, signature: `v1,${Buffer.alloc(32).toString('base64')} ${headers.signature}` }, body, nowSec), undefined);
  });

  test('refuses a signature made with another secret, or over another body', () => {
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    assert.match(webhookRefusal(webhookKey(secret), delivered(webhookHeaders(other, 'heal_1', body, now)), body, nowSec) ?? '', /does not match/);
    assert.match(webhookRefusal(webhookKey(secret), delivered(webhookHeaders(secret, 'heal_1', body, now)), `${body} `, nowSec) ?? '', /does not match/);
  });

  test('refuses a timestamp outside the tolerance, either way', () => {
    const headers = delivered(webhookHeaders(secret, 'heal_1', body, now));
    assert.equal(webhookRefusal(webhookKey(secret), headers, body, nowSec + 300), undefined);
    assert.match(webhookRefusal(webhookKey(secret), headers, body, nowSec + 301) ?? '', /more than 300 s/);
    assert.match(webhookRefusal(webhookKey(secret), headers, body, nowSec - 301) ?? '', /more than 300 s/);
  });

  test('refuses a delivery without its headers, or with a timestamp that is not unix seconds', () => {
    const headers = delivered(webhookHeaders(secret, 'heal_1', body, now));
    assert.match(webhookRefusal(webhookKey(secret), { ...headers, id: undefined }, body, nowSec) ?? '', /headers are required/);
    assert.match(webhookRefusal(webhookKey(secret), { ...headers, timestamp: '2026-01-01' }, body, nowSec) ?? '', /unix seconds/);
  });
});

import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { testHealerSecret } from './hub.ts';

/** Sends a healer report to a test hub signed as the healer signs it (Standard Webhooks, the test hub's secret); it must be taken. */
export async function healerCallback(hubUrl: string, type: 'heal.completed' | 'heal.escalated', data: Record<string, unknown>): Promise<{ decisionId?: string }> {
  const id = `msg_${randomBytes(8).toString('hex')}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const { logId } = (await (await fetch(`${hubUrl}/versionz`)).json()) as { logId: string };
  const body = JSON.stringify({ type, data, logId });
  const key = Buffer.from(testHealerSecret.slice('whsec_'.length), 'base64');
  const signature = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
  const res = await fetch(`${hubUrl}/healer/callbacks`, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature }, body });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json() as Promise<{ decisionId?: string }>;
}

import { randomBytes } from 'node:crypto';
import { customAlphabet } from 'nanoid';
import type { Channel } from '../notifications/model.ts';

/** Where a delivery stands: waiting for its (next) attempt, taken by its receiver, or given up until an admin retries it. */
export const DeliveryStatus = { pending: 'pending', delivered: 'delivered', failed: 'failed' } as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

/** A webhook as admins see it (never its secret), and one event on its way to one, as the contract has them. */
export type { Webhook as WebhookView, WebhookDelivery as DeliveryView } from '../../contracts/api-views.ts';

/** An event as the outbox enqueues it: where it is in the log, and its type. */
export interface LoggedEvent {
  seq: number;
  id: string;
  type: string;
}

/** A delivery the worker holds the lease of, to send now. */
export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  seq: number;
  attempts: number;
}

/** What the worker needs to send to a receiver: where, with which secret, and for a contact point whose and how. */
export interface WebhookTarget {
  id: string;
  url: string;
  secret: string;
  person: string | null;
  channel: Channel;
}

/** What one attempt came to: the receiver's status, or why there was none. */
export interface Attempt {
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** Why a webhook was paused by a 410. */
export const goneReason = 'the receiver answered 410 Gone';

const suffix = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 16);

/** A new webhook id: `whk_` and 16 letters or digits. */
export function newWebhookId(): string {
  return `whk_${suffix()}`;
}

/** A new delivery id, the stable `webhook-id` of its every attempt: `dlv_` and 16 letters or digits. */
export function newDeliveryId(): string {
  return `dlv_${suffix()}`;
}

/** A new Standard Webhooks signing secret: `whsec_` and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

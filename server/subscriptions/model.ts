import { randomBytes } from 'node:crypto';
import { customAlphabet } from 'nanoid';

/** Where a delivery stands: waiting for its (next) attempt, taken by its receiver, or given up until an admin retries it. */
export const DeliveryStatus = { pending: 'pending', delivered: 'delivered', failed: 'failed' } as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

/** A webhook as admins see it: never its secret. */
export interface WebhookView {
  id: string;
  url: string;
  types: string[];
  description: string | null;
  createdAt: string;
  /** When deliveries stopped until an admin resumes them, and why; null while they flow. */
  pausedAt: string | null;
  pausedReason: string | null;
  consecutiveFailures: number;
  deletedAt: string | null;
}

/** One event on its way to one webhook. */
export interface DeliveryView {
  /** The `webhook-id` header: the same on every attempt, so a receiver de-duplicates on it. */
  id: string;
  eventId: string;
  eventType: string;
  seq: number;
  status: DeliveryStatus;
  attempts: number;
  /** The receiver's HTTP status at the last attempt; null when it did not answer. */
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  lastDurationMs: number | null;
  /** When a pending delivery is tried next (a paused webhook's wait for the resume); null once settled. */
  nextAttemptAt: string | null;
}

/** A delivery the worker holds the lease of, to send now. */
export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  seq: number;
  attempts: number;
}

/** What a webhook's worker needs to send: where, with which secret. */
export interface WebhookTarget {
  id: string;
  url: string;
  secret: string;
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

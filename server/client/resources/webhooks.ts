import type { Webhook, WebhookDelivery } from '../../../contracts/api-views.ts';
import type { WebhookSubscription } from '../../../contracts/requests.ts';
import { type CallOptions, HubResource, segment } from './resource.ts';

/** A new webhook: the secret it signs with is in this answer only. */
export type WebhookReceipt = Webhook & { secret: string };

/** Which deliveries `deliveries` reads: the newest `limit` (1 to 500; the hub's default is 50). */
export interface DeliveryQuery {
  limit?: number;
}

/**
 * Outbound webhooks (admin only). A person's contact point (`cp_ann.email`, from `hub.people.list()`)
 * is a receiver of the same outbox: its id works with `deliveries`, `retry` and `resume`.
 */
export class Webhooks extends HubResource {
  /** Subscribes a URL to event types; the answer holds the signing secret, shown this once. */
  create(subscription: WebhookSubscription, options: CallOptions = {}): Promise<WebhookReceipt> {
    return this.send({ method: 'POST', path: '/webhooks', body: subscription, idempotent: false }, options);
  }

  /** Every webhook not deleted, oldest first; never a secret. */
  async list(options: CallOptions = {}): Promise<Webhook[]> {
    return (await this.send<{ webhooks: Webhook[] }>({ method: 'GET', path: '/webhooks', idempotent: true }, options)).webhooks;
  }

  /** Deletes a webhook: nothing more is sent to it, and its id is a 404 from then on. */
  delete(id: string, options: CallOptions = {}): Promise<Webhook> {
    return this.send({ method: 'DELETE', path: `/webhooks/${segment(id)}`, idempotent: true }, options);
  }

  /** A receiver's deliveries, newest event first. */
  async deliveries(id: string, query: DeliveryQuery = {}, options: CallOptions = {}): Promise<WebhookDelivery[]> {
    const search = query.limit === undefined ? '' : `?limit=${query.limit}`;
    return (await this.send<{ deliveries: WebhookDelivery[] }>({ method: 'GET', path: `/webhooks/${segment(id)}/deliveries${search}`, idempotent: true }, options)).deliveries;
  }

  /** Makes a pending or failed delivery due at once (a failed one starts its attempts over); 409 once delivered. */
  retry(id: string, deliveryId: string, options: CallOptions = {}): Promise<WebhookDelivery> {
    return this.send({ method: 'POST', path: `/webhooks/${segment(id)}/deliveries/${segment(deliveryId)}/retry`, idempotent: true }, options);
  }

  /** Lifts a receiver's pause: its failures in a row are forgotten and its pending deliveries are due at once. */
  resume(id: string, options: CallOptions = {}): Promise<Webhook> {
    return this.send({ method: 'POST', path: `/webhooks/${segment(id)}/resume`, idempotent: true }, options);
  }
}

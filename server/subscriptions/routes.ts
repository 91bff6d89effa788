import { Hono } from 'hono';
import type { WebhookSubscription } from '../../contracts/index.ts';
import { allow } from '../auth/middleware.ts';
import { HubError } from '../errors.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { jsonBody, matching } from '../http/json-body.ts';
import { knownQuery, parseInteger } from '../http/known-query.ts';
import { type WebhookView, newWebhookId, newWebhookSecret } from './model.ts';
import type { WebhookOutbox } from './outbox.ts';
import { checkSubscription } from './rules.ts';
import { deleteWebhook, findWebhook, insertWebhook, listDeliveries, listWebhooks, resumeWebhook, retryDelivery } from './store.ts';

const unknownWebhook = (id: string) => new HubError('not_found', `no webhook "${id.slice(0, 64)}"; GET /webhooks lists them`);

/** `/webhooks` (admin): subscribe a URL to event types (the signing secret shown once), list, delete, and watch and steer the deliveries. */
export function subscriptionsRoutes(deps: FeatureDeps, outbox: WebhookOutbox): Hono<HubEnv> {
  const app = new Hono<HubEnv>();

  app.post('/', allow('POST /webhooks'), jsonBody(matching<WebhookSubscription>(deps.contracts, 'requests/webhook-create.schema.json')), async (c) => {
    const { url, types, description } = c.req.valid('json');
    checkSubscription(url, types, deps.contracts.eventTypes);
    const secret = newWebhookSecret();
    const webhook = await insertWebhook(deps.db, { id: newWebhookId(), url, types, description: description ?? null, secret });
    // The outbox learns the new types, to wake for them.
    outbox.kick();
    return c.json({ ...webhook, secret }, 201);
  });

  app.get('/', allow('GET /webhooks'), knownQuery([]), async (c) => c.json({ webhooks: await listWebhooks(deps.db) }));

  app.delete('/:id', allow('DELETE /webhooks/:id'), knownQuery([]), async (c) => c.json(found(await deleteWebhook(deps.db, c.req.param('id')), c.req.param('id'))));

  app.get('/:id/deliveries', allow('GET /webhooks/:id/deliveries'), knownQuery(['limit']), async (c) => {
    const limit = parseInteger('limit', c.req.query('limit'), 50, 1, 500);
    const webhook = found(await findWebhook(deps.db, c.req.param('id')), c.req.param('id'));
    return c.json({ deliveries: await listDeliveries(deps.db, webhook.id, limit) });
  });

  app.post('/:id/deliveries/:deliveryId/retry', allow('POST /webhooks/:id/deliveries/:deliveryId/retry'), knownQuery([]), async (c) => {
    const webhook = found(await findWebhook(deps.db, c.req.param('id')), c.req.param('id'));
    const deliveryId = c.req.param('deliveryId');
    const { retried, found: delivery } = await retryDelivery(deps.db, webhook.id, deliveryId);
    if (delivery === undefined) throw new HubError('not_found', `webhook ${webhook.id} has no delivery "${deliveryId.slice(0, 64)}"; GET /webhooks/${webhook.id}/deliveries lists them`);
    if (retried === undefined) throw new HubError('conflict', `delivery ${deliveryId} was delivered already`);
    outbox.kick();
    return c.json(retried);
  });

  app.post('/:id/resume', allow('POST /webhooks/:id/resume'), knownQuery([]), async (c) => {
    const webhook = found(await resumeWebhook(deps.db, c.req.param('id')), c.req.param('id'));
    outbox.kick();
    return c.json(webhook);
  });
  return app;
}

function found(webhook: WebhookView | undefined, id: string): WebhookView {
  if (webhook === undefined) throw unknownWebhook(id);
  return webhook;
}

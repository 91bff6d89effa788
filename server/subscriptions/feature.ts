import type { Feature } from '../feature.ts';
import { Courier } from '../notifications/courier.ts';
import { subscriptionsGauges } from './gauges.ts';
import { WebhookOutbox } from './outbox.ts';
import { subscriptionsRoutes } from './routes.ts';

/** The one outbox: admins subscribe URLs to event types, people are told by the routes, and it delivers the log to them all. */
export const subscriptionsFeature: Feature = (deps) => {
  const courier = new Courier({ db: deps.db, config: deps.config, clock: deps.clock, secrets: deps.notifySecrets });
  const outbox = new WebhookOutbox({ db: deps.db, commits: deps.commits, clock: deps.clock, logger: deps.logger, config: deps.config.webhooks, courier });
  return {
    routes: { '/webhooks': subscriptionsRoutes(deps, outbox) },
    gauges: subscriptionsGauges(deps.db),
    start: (hub) => outbox.start(hub.url),
    stop: () => outbox.stop(),
  };
};

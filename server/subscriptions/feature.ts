import type { Feature } from '../feature.ts';
import { subscriptionsGauges } from './gauges.ts';
import { WebhookOutbox } from './outbox.ts';
import { subscriptionsRoutes } from './routes.ts';

/** Outbound webhooks: admins subscribe URLs to event types, and the outbox delivers the log to them, signed. */
export const subscriptionsFeature: Feature = (deps) => {
  const outbox = new WebhookOutbox({ db: deps.db, fanout: deps.fanout, clock: deps.clock, logger: deps.logger, config: deps.config.webhooks });
  return {
    routes: { '/webhooks': subscriptionsRoutes(deps, outbox) },
    gauges: subscriptionsGauges(deps.db),
    start: () => outbox.start(),
    stop: () => outbox.stop(),
  };
};

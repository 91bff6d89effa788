import type { Kysely } from 'kysely';
import { Gauge } from 'prom-client';
import type { Database } from '../db/schema.ts';
import { readOncePerScrape } from '../ops/metrics.ts';
import { outboxBacklog } from './store.ts';

/** The webhook outbox's backlog, read at each scrape: alert when the oldest pending delivery waits too long. */
export function subscriptionsGauges(db: Kysely<Database>): Gauge[] {
  const backlog = readOncePerScrape(() => outboxBacklog(db));
  return [
    new Gauge({
      name: 'mc_webhook_outbox_pending',
      help: 'Deliveries waiting to be taken by their webhook (pending, of webhooks not deleted)',
      registers: [],
      async collect() {
        this.set((await backlog()).pending);
      },
    }),
    new Gauge({
      name: 'mc_webhook_outbox_oldest_pending_seconds',
      help: 'How long the oldest pending webhook delivery has waited, in seconds (0 when none)',
      registers: [],
      async collect() {
        this.set((await backlog()).oldestSeconds);
      },
    }),
  ];
}

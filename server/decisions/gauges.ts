import type { Kysely } from 'kysely';
import { Gauge } from 'prom-client';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/schema.ts';
import { readOncePerScrape } from '../ops/metrics.ts';
import { pendingDecisions } from './store.ts';

/** The inbox as an operator alerts on it, read from the view at each scrape: how many decisions wait, and how long the oldest has. */
export function decisionGauges(db: Kysely<Database>, clock: Clock): Gauge[] {
  const pending = readOncePerScrape(() => pendingDecisions(db));
  return [
    new Gauge({
      name: 'mc_decisions_pending',
      help: 'Decisions waiting for an answer',
      registers: [],
      async collect() {
        this.set((await pending()).count);
      },
    }),
    new Gauge({
      name: 'mc_decision_oldest_pending_age_seconds',
      help: 'Seconds the oldest pending decision has waited; 0 when none waits',
      registers: [],
      async collect() {
        const askedAt = (await pending()).oldestAskedAt;
        this.set(askedAt ? Math.max(0, (clock.now().getTime() - askedAt.getTime()) / 1000) : 0);
      },
    }),
  ];
}

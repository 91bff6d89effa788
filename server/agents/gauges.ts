import type { Kysely } from 'kysely';
import { Gauge } from 'prom-client';
import { agentStatuses } from '../../contracts/vocabulary.ts';
import type { Database } from '../db/schema.ts';
import { countAgentsByStatus } from './store.ts';

/** Agents by status, read from the view at each scrape. Every status is shown, 0 when no agent is in it, so an alert on one never sees its series vanish. */
export function agentGauges(db: Kysely<Database>): Gauge[] {
  return [
    new Gauge({
      name: 'mc_agents',
      help: 'Agents by status',
      labelNames: ['status'],
      registers: [],
      async collect() {
        const counts = await countAgentsByStatus(db);
        for (const status of agentStatuses) this.set({ status }, counts.find((c) => c.status === status)?.count ?? 0);
      },
    }),
  ];
}

import { randomBytes } from 'node:crypto';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { type LoadWindow, type ThroughputResult, closedLoop } from './load.ts';

// The peer a team would pick instead of the hub: Emmett's PostgreSQL event store, appending
// in-process (no HTTP, no auth, no validation in front), on its own database of the same server.

const pad = 'x'.repeat(64);

type BenchEvent = { type: 'x.bench.emmett'; data: { n: number; pad: string } };

/**
 * `writers` concurrent writers, each looping `appendToStream` of `batchSize` events to a stream of
 * its own (as each agent writes its own events), with the same data shape as the hub's rows.
 */
export async function runEmmettAppends(databaseUrl: string, writers: number, batchSize: number, window: LoadWindow): Promise<ThroughputResult> {
  // A connection per writer, as the hub's own pool and the ceiling have.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: writers, application_name: 'mc-bench-emmett' });
  pool.on('error', () => undefined);
  const store = getPostgreSQLEventStore(databaseUrl, { connectionOptions: { pooled: true, pool } });
  try {
    const run = randomBytes(4).toString('hex');
    // Its schema is created on the first append: do it before the clock starts.
    await store.appendToStream<BenchEvent>(`bench-${run}-warm`, [{ type: 'x.bench.emmett', data: { n: 0, pad } }]);
    const batch = (j0: number): BenchEvent[] => Array.from({ length: batchSize }, (_, j) => ({ type: 'x.bench.emmett', data: { n: j0 + j, pad } }));
    return await closedLoop(writers, window, async (w, i) => {
      await store.appendToStream<BenchEvent>(`bench-${run}-${w}`, batch(i * batchSize));
      return { events: batchSize };
    });
  } finally {
    await store.close();
    await pool.end();
  }
}

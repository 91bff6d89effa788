import pg from 'pg';
import type { ThroughputResult } from './load.ts';

// The ingest rows and their references are measured in rounds: each once per round, in turn, so
// a ratio compares two figures taken seconds apart, and the table gives the median over the
// rounds. On a shared 2-core machine one window's throughput drifts by 10% to 30% from the next;
// a ratio of two windows taken at the same moment drifts much less.

/** One row's windows, by round: a round whose window failed holds its error instead. */
export type Rounds = Array<ThroughputResult | { failed: string }>;

/** The middle value (the mean of the two middle ones for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const measured = (rounds: Rounds): ThroughputResult[] => rounds.filter((r): r is ThroughputResult => !('failed' in r));

/** Events per second over the rounds: the median, NaN when no round was measured. */
export const medianRate = (rounds: Rounds): number => median(measured(rounds).map((r) => r.eventsPerSecond));

/** The measured round at the median rate; for an even count, the earlier of the two middle rounds. */
export function medianRound(rounds: Rounds): ThroughputResult | undefined {
  const rate = medianRate(rounds);
  return measured(rounds).reduce<ThroughputResult | undefined>(
    (nearest, r) => (nearest && Math.abs(nearest.eventsPerSecond - rate) <= Math.abs(r.eventsPerSecond - rate) ? nearest : r),
    undefined,
  );
}

/** Each round's `row` over the same round's `reference`, for the rounds both were measured in. */
export function roundRatios(row: Rounds, reference: Rounds): number[] {
  const ratios: number[] = [];
  row.forEach((r, round) => {
    const against = reference[round];
    if ('failed' in r || against === undefined || 'failed' in against || against.eventsPerSecond === 0) return;
    ratios.push(r.eventsPerSecond / against.eventsPerSecond);
  });
  return ratios;
}

/** "1.20x ceiling, rounds 1.05x-1.44x": the median of the rounds' ratios and their range. */
export function formatRatio(name: string, ratios: readonly number[]): string {
  if (ratios.length === 0) return `no ${name}`;
  const range = ratios.length > 1 ? `, rounds ${Math.min(...ratios).toFixed(2)}x-${Math.max(...ratios).toFixed(2)}x` : '';
  return `${median(ratios).toFixed(2)}x ${name}${range}`;
}

/**
 * Before each measurement (a round's window, a row): what the rows before it wrote is vacuumed,
 * analyzed and checkpointed, as pgbench vacuums before each run, so none of that upkeep
 * (autovacuum, the search index's pending list, a checkpoint's full-page writes) lands in the
 * one measured next, whichever it is. Gives how long it took; a server that refuses CHECKPOINT (a role without
 * pg_checkpoint) is only vacuumed, and says so.
 */
export async function settle(databaseUrl: string): Promise<{ ms: number; checkpointRefused?: string }> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'mc-bench-settle' });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE)');
    const refused = await client.query('CHECKPOINT').then(
      () => undefined,
      (error: Error) => error.message,
    );
    return { ms: performance.now() - started, ...(refused ? { checkpointRefused: refused } : {}) };
  } finally {
    await client.end();
  }
}

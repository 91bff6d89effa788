import pg from 'pg';

export interface CommitStats {
  events: number;
  /** Append transactions: every row of one transaction has the same `recorded_at` (now() is the transaction's start). */
  transactions: number;
}

/** How the events of one type were grouped into transactions. */
export async function commitStats(databaseUrl: string, type: string): Promise<CommitStats> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ events: string; transactions: string }>(
      'SELECT count(*) AS events, count(DISTINCT recorded_at) AS transactions FROM events WHERE type = $1',
      [type],
    );
    return { events: Number(rows[0]!.events), transactions: Number(rows[0]!.transactions) };
  } finally {
    await client.end();
  }
}

export function formatCommits(s: CommitStats): string {
  return s.transactions > 0 ? `${s.transactions.toLocaleString('en-US')} append transactions, ${(s.events / s.transactions).toFixed(1)} events each` : 'no transactions';
}

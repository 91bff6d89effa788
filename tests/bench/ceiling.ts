import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type LoadWindow, type ThroughputResult, closedLoop } from './load.ts';

/**
 * The database's own limit for what the hub does per single-event request: one autocommitted
 * single-row INSERT of the same row shape (agent_id null, as in the hub scenario), from
 * `connections` concurrent connections.
 */
export async function runCeiling(databaseUrl: string, connections: number, window: LoadWindow): Promise<ThroughputResult> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections, application_name: 'mc-bench-ceiling' });
  pool.on('error', () => undefined);
  try {
    // Open every connection before the clock starts.
    const clients = await Promise.all(Array.from({ length: connections }, () => pool.connect()));
    for (const client of clients) client.release();

    const run = randomBytes(4).toString('hex');
    const pad = 'x'.repeat(64);
    const payloadHash = randomBytes(32).toString('base64url');
    const text = `INSERT INTO events (id, type, actor, agent_id, idempotency_key, payload_hash, data)
                  VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`;
    return await closedLoop(connections, window, async (w, i) => {
      await pool.query(text, [`c${run}${w}x${i}`, 'x.bench.ceiling', 'anonymous', null, `ceiling:${run}:${w}:${i}`, payloadHash, `{"n":${i},"pad":"${pad}"}`]);
      return { events: 1 };
    });
  } finally {
    await pool.end();
  }
}

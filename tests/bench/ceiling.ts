import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type LoadWindow, type ThroughputResult, closedLoop } from './load.ts';

const columns = '(id, type, actor, agent_id, idempotency_key, payload_hash, data)';
const pad = 'x'.repeat(64);

// The ceilings write into a table made like the log, with every index it has (the search
// index too), but not into the log itself: the hub would read every row they wrote as new
// events, and its rows measured next would pay for that.
const table = 'bench_ceiling';

/** A pool with every connection open before the clock starts, and the ceiling's table made. */
async function openPool(databaseUrl: string, connections: number): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections, application_name: 'mc-bench-ceiling' });
  pool.on('error', () => undefined);
  const clients = await Promise.all(Array.from({ length: connections }, () => pool.connect()));
  for (const client of clients) client.release();
  // Its own sequence, or the log's seq would jump by every row the ceiling wrote.
  await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (LIKE events INCLUDING ALL)`);
  await pool.query(`CREATE SEQUENCE IF NOT EXISTS ${table}_seq OWNED BY ${table}.seq`);
  await pool.query(`ALTER TABLE ${table} ALTER COLUMN seq SET DEFAULT nextval('${table}_seq')`);
  return pool;
}

/** One row of the hub's shape (agent_id null, as in the hub scenarios), as INSERT parameters. */
function rowOf(run: string, payloadHash: string, w: number, i: number, j: number): unknown[] {
  return [`c${run}${w}x${i}x${j}`, 'x.bench.ceiling', 'anonymous', null, `ceiling:${run}:${w}:${i}:${j}`, payloadHash, `{"n":${j},"pad":"${pad}"}`];
}

/**
 * The database's own limit for what the hub does per single-event request: one autocommitted
 * single-row INSERT of the same row shape, from `connections` concurrent connections.
 */
export async function runCeiling(databaseUrl: string, connections: number, window: LoadWindow): Promise<ThroughputResult> {
  const pool = await openPool(databaseUrl, connections);
  try {
    const run = randomBytes(4).toString('hex');
    const payloadHash = randomBytes(32).toString('base64url');
    const text = `INSERT INTO ${table} ${columns} VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`;
    return await closedLoop(connections, window, async (w, i) => {
      await pool.query(text, rowOf(run, payloadHash, w, i, 0));
      return { events: 1 };
    });
  } finally {
    await pool.end();
  }
}

/**
 * The database's own limit for what the hub does per batched request: `batchSize` rows of the
 * same shape in one transaction, written as multi-row INSERTs of `rowsPerInsert` rows, from
 * `connections` concurrent connections.
 */
export async function runBatchCeiling(databaseUrl: string, connections: number, batchSize: number, rowsPerInsert: number, window: LoadWindow): Promise<ThroughputResult> {
  const pool = await openPool(databaseUrl, connections);
  try {
    const run = randomBytes(4).toString('hex');
    const payloadHash = randomBytes(32).toString('base64url');
    const tuples = Array.from({ length: rowsPerInsert }, (_, r) => `($${r * 7 + 1}, $${r * 7 + 2}, $${r * 7 + 3}, $${r * 7 + 4}, $${r * 7 + 5}, $${r * 7 + 6}, $${r * 7 + 7}::jsonb)`);
    const text = `INSERT INTO ${table} ${columns} VALUES ${tuples.join(', ')}`;
    return await closedLoop(connections, window, async (w, i) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (let from = 0; from < batchSize; from += rowsPerInsert) {
          await client.query(text, Array.from({ length: rowsPerInsert }, (_, r) => rowOf(run, payloadHash, w, i, from + r)).flat());
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      return { events: batchSize };
    });
  } finally {
    await pool.end();
  }
}

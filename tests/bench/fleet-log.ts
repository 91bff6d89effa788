import pg from 'pg';
import { HubClient } from '../../server/client/hub-client.ts';

// A long log made quickly: one agent's working life is recorded through the hub's API (so every
// event, reaction included, is what the hub writes), then copied in the database with every id
// made unique per copy, until the log holds the events asked for. The views' rebuild and the
// replay then read the mix a fleet writes: mostly output lines, with the lifecycle, tasks,
// decisions and spend that the views fold.

/** The seqs of the recorded life, and the ids to make unique in each copy. */
export interface LifePattern {
  from: number;
  to: number;
  ids: string[];
}

/** Records one agent's life: it registers, writes output, runs, asks and is answered, spends, exits; a task moves along beside it. */
export async function recordLife(hubUrl: string, adminToken: string, outputLines: number): Promise<LifePattern> {
  const admin = new HubClient({ url: hubUrl, token: adminToken });
  const agentId = `agt_life${Date.now().toString(36)}`;
  const before = await admin.events.page({ order: 'desc', limit: 1 });
  const minted = await admin.tokens.create({ role: 'agent', agentId, name: 'bench-life' });
  const agent = new HubClient({ url: hubUrl, token: minted.token });
  const task = await admin.tasks.create({ title: 'a task of the bench fleet', priority: 'normal', labels: ['bench'] });
  await admin.tasks.transition(task.id, 'in_progress', 'picked up');
  await agent.events.append({ type: 'run.started', data: { model: 'bench-model', estimatedCostUsd: 0.01 } });
  const line = (i: number) => ({ type: 'agent.output', data: { stream: 'stdout', line: `step ${i}: compiling src/module-${i}.ts and running its tests (42 passed)` } });
  await agent.events.append(Array.from({ length: outputLines / 2 }, (_, i) => line(i)));
  const decision = await agent.decisions.request(
    { title: 'Apply the migration to the staging database?', context: 'The plan touches 3 tables.', risk: 'medium', expiresInSec: 600 },
    { onAsked: (asked) => void admin.decisions.resolve(asked.id, 'approve', 'go ahead') },
  );
  await agent.events.append(Array.from({ length: outputLines / 2 }, (_, i) => line(outputLines / 2 + i)));
  await agent.events.append({ type: 'run.completed', data: { tokensIn: 1200, tokensOut: 800, costUsd: 0.002 } });
  await admin.tasks.transition(task.id, 'review', 'ready for review');
  await admin.tasks.transition(task.id, 'done', 'finished');
  await agent.events.append({ type: 'agent.exited', data: { code: 0 } });
  const after = await admin.events.page({ order: 'desc', limit: 1 });
  return { from: before.events[0]?.seq ?? 0, to: after.events[0]!.seq, ids: [agentId, task.id, decision.id] };
}

/**
 * Copies the pattern until the log holds `total` events, in statements of about `step` events,
 * telling `report` how far it got. Event ids, keys, causes and the pattern's ids get a suffix per copy.
 */
export async function growLog(databaseUrl: string, pattern: LifePattern, total: number, report: (events: number) => void, step = 200_000): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'mc-bench-grow' });
  await client.connect();
  try {
    const size = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE seq > $1 AND seq <= $2', [pattern.from, pattern.to])).rows[0]!.n);
    let held = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
    // Copies are numbered from the log's size when this call began: a later call numbers past every earlier copy.
    let copy = held;
    // Each id of the pattern, replaced in the text of the data by the same id with the copy's number.
    const swap = (column: string) => pattern.ids.reduce((text, _, i) => `replace(${text}, $${i + 4}, $${i + 4} || '_' || g)`, column);
    while (held < total) {
      const copies = Math.max(1, Math.min(Math.ceil((total - held) / size), Math.floor(step / size)));
      const inserted = await client.query(
        `INSERT INTO events (id, type, actor, agent_id, task_id, decision_id, idempotency_key, payload_hash, data, correlation_id, causation_id)
         SELECT e.id || '_' || g, e.type, ${swap('e.actor')}, ${swap('e.agent_id')}, ${swap('e.task_id')}, ${swap('e.decision_id')},
                e.idempotency_key || ':' || g || ':copy', e.payload_hash, (${swap('e.data::text')})::jsonb,
                e.correlation_id || '_' || g, e.causation_id || '_' || g
         FROM generate_series($1::int, $2::int) g CROSS JOIN LATERAL (SELECT * FROM events WHERE seq > $3 AND seq <= ${pattern.to} ORDER BY seq) e
         ORDER BY g, e.seq`,
        [copy + 1, copy + copies, pattern.from, ...pattern.ids],
      );
      copy += copies;
      held += inserted.rowCount ?? 0;
      report(held);
    }
    return held;
  } finally {
    await client.end();
  }
}

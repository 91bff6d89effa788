import { type ColumnType, type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import { type RunnerStatus, placedStatuses } from '../../contracts/vocabulary.ts';
import { type Agent } from '../agents/model.ts';
import { agentOf } from '../agents/store.ts';
import type { Database } from '../db/schema.ts';
import type { Runner, RunnerLoad, RunnerView } from './model.ts';

/** The runners view: one row per runner, folded from the log. */
export interface RunnersTable {
  id: string;
  name: string;
  labels: ColumnType<Record<string, string>, string, string>;
  capacity: number;
  templates: ColumnType<string[], string, string>;
  status: string;
  registered_at: ColumnType<Date, string, string>;
  last_seq: ColumnType<string, number, number>;
}

/** When each runner last asked for work; not a view (polls are not events). */
export interface RunnerContactsTable {
  runner_id: string;
  last_seen_at: ColumnType<Date, Date, Date>;
}

/** The tables of the runners view. */
export interface RunnersTables {
  runners: RunnersTable;
  runner_contacts: RunnerContactsTable;
}

function runnerOf(row: Selectable<RunnersTable>): Runner {
  return {
    id: row.id,
    name: row.name,
    labels: row.labels,
    capacity: row.capacity,
    templates: row.templates,
    status: row.status as RunnerStatus,
    registeredAt: row.registered_at.toISOString(),
    lastSeq: Number(row.last_seq),
  };
}

/** Writes a runner's row, inserting it on its first registration. */
export async function saveRunner(trx: Transaction<Database>, runner: Runner): Promise<void> {
  const row = {
    name: runner.name,
    labels: JSON.stringify(runner.labels),
    capacity: runner.capacity,
    templates: JSON.stringify(runner.templates),
    status: runner.status,
    registered_at: runner.registeredAt,
    last_seq: runner.lastSeq,
  };
  await trx
    .insertInto('runners')
    .values({ id: runner.id, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}

export async function findRunner(db: Kysely<Database>, id: string): Promise<Runner | undefined> {
  const row = await db.selectFrom('runners').selectAll().where('id', '=', id).executeTakeFirst();
  return row && runnerOf(row);
}

/** Every runner with the count of agents placed on it, by id. */
export async function runnerLoads(db: Kysely<Database>): Promise<RunnerLoad[]> {
  const rows = await db
    .selectFrom('runners as r')
    .selectAll('r')
    .select((eb) =>
      eb
        .selectFrom('agents as a')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('a.runner_id', '=', 'r.id')
        .where('a.status', 'in', placedStatuses)
        .as('load'),
    )
    .orderBy('r.id')
    .execute();
  return rows.map((row) => ({ runner: runnerOf(row), load: Number(row.load ?? 0) }));
}

/** The API views of every runner, by name. */
export async function runnerViews(db: Kysely<Database>): Promise<RunnerView[]> {
  const [loads, contacts] = await Promise.all([runnerLoads(db), db.selectFrom('runner_contacts').selectAll().execute()]);
  const seen = new Map(contacts.map((c) => [c.runner_id, c.last_seen_at.toISOString()]));
  return loads
    .map(({ runner, load }) => ({
      id: runner.id,
      name: runner.name,
      status: runner.status,
      labels: { ...runner.labels },
      capacity: runner.capacity,
      load,
      templates: [...runner.templates],
      registeredAt: runner.registeredAt,
      lastSeenAt: seen.get(runner.id) ?? null,
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** The agents placed on a runner: assigned to it and not ended. */
export async function placedAgents(db: Kysely<Database>, runnerId: string): Promise<Agent[]> {
  const rows = await db.selectFrom('agents').selectAll().where('runner_id', '=', runnerId).where('status', 'in', placedStatuses).orderBy('id').execute();
  return rows.map(agentOf);
}

/** The agents waiting for a runner (spawn requested, none assigned yet), oldest first. */
export async function waitingAgents(db: Kysely<Database>): Promise<Agent[]> {
  const rows = await db.selectFrom('agents').selectAll().where('status', '=', 'spawning').where('runner_id', 'is', null).where('template', 'is not', null).orderBy('last_seq').execute();
  return rows.map(agentOf);
}

/** Records that the runner was heard from at `at`, keeping the latest time. */
export async function recordContact(db: Kysely<Database>, runnerId: string, at: Date): Promise<void> {
  await db
    .insertInto('runner_contacts')
    .values({ runner_id: runnerId, last_seen_at: at })
    .onConflict((oc) => oc.column('runner_id').doUpdateSet((eb) => ({ last_seen_at: eb.fn('greatest', ['runner_contacts.last_seen_at', 'excluded.last_seen_at']) })))
    .execute();
}

/** Online runners not heard from since `before`, with when they last were. */
export async function silentRunners(db: Kysely<Database>, before: Date): Promise<Array<{ id: string; lastSeenAt: string }>> {
  const rows = await db
    .selectFrom('runners as r')
    .leftJoin('runner_contacts as c', 'c.runner_id', 'r.id')
    .select(['r.id', sql<Date>`greatest(c.last_seen_at, r.registered_at)`.as('seen')])
    .where('r.status', '=', 'online')
    .where(sql<Date>`greatest(c.last_seen_at, r.registered_at)`, '<', before)
    .execute();
  return rows.map((row) => ({ id: row.id, lastSeenAt: new Date(row.seen).toISOString() }));
}

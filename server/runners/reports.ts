import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import type { NewEvent } from '../log/event.ts';

/**
 * A runner reports only about agents placed on it: every event names an agent, and each such
 * agent was assigned to `runnerId` (an assignment never moves, so reading outside the log lock is safe).
 */
export async function refuseForeignReports(db: Kysely<Database>, runnerId: string, events: readonly NewEvent[]): Promise<void> {
  const unnamed = events.findIndex((event) => event.agentId === null);
  if (unnamed >= 0) throw new HubError('forbidden', `a runner token reports only about its agents: event ${unnamed} names no agentId`);
  const ids = [...new Set(events.map((event) => event.agentId!))];
  const rows = await db.selectFrom('agents').select(['id', 'runner_id']).where('id', 'in', ids).execute();
  const own = new Set(rows.filter((row) => row.runner_id === runnerId).map((row) => row.id));
  const foreign = ids.find((id) => !own.has(id));
  if (foreign !== undefined) throw new HubError('forbidden', `a runner token reports only about agents assigned to its runner (${runnerId}); "${foreign.slice(0, 64)}" is not`);
}

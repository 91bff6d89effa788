import type { Kysely } from 'kysely';
import { placedStatuses } from '../../contracts/vocabulary.ts';
import type { Database } from '../db/schema.ts';
import { readWhenHeard } from '../stream/await-frames.ts';
import type { EventFanout } from '../stream/fanout.ts';

/** The events a runner acts on, about the agents placed on it (and the merges of its agents' branches). */
export const workTypes = ['agent.assigned', 'agent.stop_requested', 'agent.message_injected', 'workspace.merge_approved'] as const;
const isWork = new Set<string>(workTypes);

/** One thing for a runner to do: start an agent, stop one, or hand one a message. */
export interface WorkItem {
  seq: number;
  /** The event's id (an injected message's id, which the agent gets with it). */
  id: string;
  type: (typeof workTypes)[number];
  agentId: string;
  data: Record<string, unknown>;
}

/** The work for `runnerId` after `after` in the log, oldest first: events of its placed agents only. */
export async function findWork(db: Kysely<Database>, runnerId: string, after: number, limit: number): Promise<WorkItem[]> {
  const rows = await db
    .selectFrom('agents as a')
    .innerJoin('events as e', 'e.agent_id', 'a.id')
    .select(['e.seq', 'e.id', 'e.type', 'e.agent_id', 'e.data'])
    .where('a.runner_id', '=', runnerId)
    .where('e.type', 'in', workTypes)
    // An ended agent's only work is the merge of its branch.
    .where((eb) => eb.or([eb('a.status', 'in', placedStatuses), eb('e.type', '=', 'workspace.merge_approved')]))
    .where('e.seq', '>', String(after))
    .orderBy('e.seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ seq: Number(row.seq), id: row.id, type: row.type as WorkItem['type'], agentId: row.agent_id!, data: row.data as Record<string, unknown> }));
}

/** The runner's work after `after`, waiting up to `waitMs` for some when there is none. */
export function awaitWork(db: Kysely<Database>, fanout: EventFanout, runnerId: string, after: number, waitMs: number, signal: AbortSignal): Promise<WorkItem[]> {
  return readWhenHeard(fanout, (frame) => isWork.has(frame.type), () => findWork(db, runnerId, after, 200), (found) => found.length > 0, waitMs, signal);
}

import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { NewEvent } from '../log/event.ts';
import { findAgent } from './find-agents.ts';
import { hubPausedAll } from './pause-all-marks.ts';
import { refuseRunWhilePaused } from './rules.ts';

/** Refuses (409 agent_paused) a `run.started` while its agent, or the whole hub, is paused. */
export async function guardRunWhilePaused(trx: Transaction<Database>, event: NewEvent): Promise<void> {
  const agent = event.agentId !== null ? await findAgent(trx, event.agentId) : undefined;
  const refusal = refuseRunWhilePaused(agent, await hubPausedAll(trx));
  if (refusal !== undefined) throw refusal;
}

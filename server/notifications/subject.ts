import type { Kysely } from 'kysely';
import type { EventEnvelope } from '../../contracts/index.ts';
import type { Database } from '../db/schema.ts';
import type { Decision } from '../decisions/model.ts';
import { type RouteSubject, eventRisk } from './rules.ts';
import { routedAgents } from './store.ts';

/** What routes match an event against: its type, the decision's risk or the event's, the project, the agent. */
export async function routeSubject(db: Kysely<Database>, event: Pick<EventEnvelope, 'type' | 'agentId' | 'data'>, decision: Pick<Decision, 'risk' | 'projectId' | 'agentId'> | undefined): Promise<RouteSubject> {
  const agentId = decision?.agentId ?? event.agentId ?? undefined;
  const agent = agentId === undefined ? undefined : (await routedAgents(db, [agentId])).get(agentId);
  const projectId = decision?.projectId ?? agent?.projectId ?? (typeof event.data.projectId === 'string' ? event.data.projectId : undefined);
  return {
    type: event.type,
    risk: decision !== undefined ? (decision.risk as RouteSubject['risk']) : eventRisk(event.type),
    projectId,
    agent: agent ?? (agentId !== undefined ? { id: agentId, name: null, template: null } : undefined),
  };
}

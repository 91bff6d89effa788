import { withActors } from './actor-names.ts';
import { type DashboardState, emptyState, withAgents, withDecisions, withEvents, withHeals, withTasks } from './dashboard-state.ts';
import type { HubApi } from './hub-api.ts';
import { findLogHead, lastPage, readOnward } from './log-head.ts';
import type { EventEnvelope } from './types.ts';

const healTypes = 'heal.completed,heal.escalated';

/**
 * Everything the dashboard shows, read once: the head of the log first, so the views read next
 * already include it and the live stream (which starts after it) replays whatever follows; then
 * the agents, tasks, pending and recent decisions, the log's last page, the heals and who the actors are.
 */
export async function loadDashboard(api: HubApi, eventCap: number): Promise<{ state: DashboardState; customTypes: string[] }> {
  const head = await findLogHead((q) => api.page(q));
  const [agents, tasks, pending, recent, page, heals, actors] = await Promise.all([
    api.agents(),
    api.tasks(),
    api.decisions('pending', 1000),
    api.decisions(undefined, 200),
    lastPage((q) => api.page(q), head),
    readHeals(api),
    api.actors(),
  ]);
  let state = withEvents(emptyState, page.events, eventCap);
  state = withActors(withHeals(withDecisions(withDecisions(withTasks(withAgents(state, agents), tasks), pending), recent), heals), actors);
  const customTypes = [...new Set(page.events.filter((e) => e.type.startsWith('x.')).map((e) => e.type))];
  return { state: { ...state, lastSeq: head, loaded: true, loadError: undefined }, customTypes };
}

/** Every heal in the log, oldest first (the store keeps the newest thousand). */
function readHeals(api: HubApi): Promise<EventEnvelope[]> {
  return readOnward((q) => api.page(q), { after: 0, limit: 1000, types: healTypes }, 10);
}

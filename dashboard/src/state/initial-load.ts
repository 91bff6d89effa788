import { withActors } from './actor-names.ts';
import { type DashboardState, emptyState, withAgents, withDecisions, withEvents, withHeals, withTasks } from './dashboard-state.ts';
import { type DashboardHub, readPages } from './dashboard-hub.ts';
import { findLogHead, lastPage, readOnward } from './log-head.ts';

const healTypes = 'heal.completed,heal.escalated';

/**
 * Everything the dashboard shows, read once: the projects and the head of the log first, so the
 * views read next already include it and the live stream (which starts after it) replays
 * whatever follows; then the agents, tasks, pending and recent decisions, the log's last page,
 * the heals and who the actors are. With `project` (one the token sees), all of them of that
 * project only; a project the hub no longer has shows every project instead.
 */
export async function loadDashboard(hub: DashboardHub, eventCap: number, project?: string): Promise<{ state: DashboardState; customTypes: string[] }> {
  const [projects, head] = await Promise.all([hub.projects.list(), findLogHead(readPages(hub))]);
  const shown = projects.some((p) => p.id === project) ? project : undefined;
  const read = readPages(hub, shown);
  const only = shown === undefined ? {} : { project: shown };
  const [agents, tasks, pending, recent, page, heals, actors] = await Promise.all([
    hub.agents.list(only),
    hub.tasks.list(only),
    hub.decisions.list({ status: 'pending', limit: 1000, ...only }),
    hub.decisions.list({ limit: 200, ...only }),
    lastPage(read, head),
    // Every heal, oldest first (the store keeps the newest thousand).
    readOnward(read, { after: 0, limit: 1000, types: healTypes }, 10),
    hub.actors.list(),
  ]);
  let state = withEvents(emptyState, page.events, eventCap);
  state = withActors(withHeals(withDecisions(withDecisions(withTasks(withAgents(state, agents), tasks), pending), recent), heals), actors);
  const customTypes = [...new Set(page.events.filter((e) => e.type.startsWith('x.')).map((e) => e.type))];
  return { state: { ...state, projects, project: shown, lastSeq: head, loaded: true, loadError: undefined }, customTypes };
}

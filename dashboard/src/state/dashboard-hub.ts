import type { HubClient } from '../../../server/client/hub-client.ts';
import type { ReadPage } from '../../../server/client/pagination.ts';

/**
 * The calls the dashboard makes, as the one client shapes them: the client in the browser, and
 * in tests a fake of just these.
 */
export interface DashboardHub {
  events: Pick<HubClient['events'], 'page' | 'get'>;
  agents: Pick<HubClient['agents'], 'list' | 'get' | 'pause' | 'resume' | 'stop' | 'merge' | 'pauseAll' | 'resumeAll' | 'spawn' | 'inject'>;
  tasks: Pick<HubClient['tasks'], 'list' | 'get' | 'transition' | 'create'>;
  decisions: Pick<HubClient['decisions'], 'list' | 'get' | 'resolve'>;
  actors: Pick<HubClient['actors'], 'list'>;
  templates: Pick<HubClient['templates'], 'list'>;
  projects: Pick<HubClient['projects'], 'list'>;
  overview: Pick<HubClient['overview'], 'get'>;
  brief: Pick<HubClient['brief'], 'get'>;
}

/** The client's one-page read, for the helpers that page the log: of one project's events, when `project` is given. */
export function readPages(hub: DashboardHub, project?: string): ReadPage {
  return project === undefined ? (query) => hub.events.page(query) : (query) => hub.events.page({ ...query, project });
}

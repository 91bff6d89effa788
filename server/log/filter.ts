import type { EventFrame } from './event.ts';

/** Which events a reader wants: exact types or `prefix.*` types, one agent, one task. */
export interface EventFilter {
  types: string[];
  /** `decision.*` is kept as `decision.`. */
  typePrefixes: string[];
  agentId?: string;
  taskId?: string;
  /** Events about an agent, a task or a decision of this project (a live stream asks its ProjectMembership). */
  projectId?: string;
  /** Events whose data answers this full-text search (`?q=`): JSON pages only, read through the search index; a stream refuses it. */
  search?: string;
}

/** Parses `?types=decision.*,agent.failed`; undefined or empty means every type. */
export function parseTypes(list: string | undefined): Pick<EventFilter, 'types' | 'typePrefixes'> {
  const items = (list ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  return {
    types: items.filter((t) => !t.endsWith('*')),
    typePrefixes: items.filter((t) => t.endsWith('*')).map((t) => t.slice(0, -1)),
  };
}

/** True when the event passes the filter; the same rule the SQL read applies. */
export function matches(filter: EventFilter, frame: EventFrame): boolean {
  if (filter.agentId !== undefined && frame.agentId !== filter.agentId) return false;
  if (filter.taskId !== undefined && frame.taskId !== filter.taskId) return false;
  if (filter.types.length === 0 && filter.typePrefixes.length === 0) return true;
  return filter.types.includes(frame.type) || filter.typePrefixes.some((p) => frame.type.startsWith(p));
}

import type { EventEnvelope } from './types.ts';

/** The feed's filters; an empty field lets everything through. */
export interface FeedFilter {
  /** A type or its start: `decision.` and `decision.*` both match every decision event. */
  type: string;
  agent: string;
  task: string;
}

export const noFilter: FeedFilter = { type: '', agent: '', task: '' };

export function isFiltered(filter: FeedFilter): boolean {
  return filter.type.trim() !== '' || filter.agent.trim() !== '' || filter.task.trim() !== '';
}

/** A matcher for `filter`, for running over thousands of events. */
export function eventMatcher(filter: FeedFilter): (event: EventEnvelope) => boolean {
  const type = filter.type.trim().replace(/\*$/, '');
  const agent = filter.agent.trim();
  const task = filter.task.trim();
  return (event) => (type === '' || event.type.startsWith(type)) && (agent === '' || event.agentId === agent) && (task === '' || event.taskId === task);
}

/** The events `filter` lets through, in order; the same array when nothing is filtered. */
export function filterEvents(events: readonly EventEnvelope[], filter: FeedFilter): readonly EventEnvelope[] {
  return isFiltered(filter) ? events.filter(eventMatcher(filter)) : events;
}

import type { Brief } from '../views.ts';
import { type CallOptions, HubResource } from './resource.ts';

/** Which brief `get` reads: from `since` (default: 24 hours ago), of every project the token sees or of one. */
export interface BriefQuery {
  since?: Date | string;
  project?: string;
}

/** The daily brief: what happened since a moment and what waits now (admin, operator, viewer). */
export class BriefResource extends HubResource {
  /** Tasks done, failures, decisions settled and run costs since `since`; pending decisions and blocked tasks now. */
  get(query: BriefQuery = {}, options: CallOptions = {}): Promise<Brief> {
    const search = new URLSearchParams();
    if (query.since !== undefined) search.set('since', query.since instanceof Date ? query.since.toISOString() : query.since);
    if (query.project) search.set('project', query.project);
    const text = search.toString();
    return this.send({ method: 'GET', path: `/brief${text === '' ? '' : `?${text}`}`, idempotent: true }, options);
  }
}

import type { Overview } from '../views.ts';
import { type CallOptions, HubResource, segment } from './resource.ts';

/** Which overview `get` reads: of every project the token sees, or of one. */
export interface OverviewQuery {
  project?: string;
}

/** The dashboard's landing view: what needs a person and how the fleet is (admin, operator, viewer). */
export class OverviewResource extends HubResource {
  /** Pending decisions by risk, the fleet by status and who needs a look, today's spend, the log's pace, the last failures and heals. */
  get(query: OverviewQuery = {}, options: CallOptions = {}): Promise<Overview> {
    const search = query.project ? `?project=${segment(query.project)}` : '';
    return this.send({ method: 'GET', path: `/overview${search}`, idempotent: true }, options);
  }
}

import type { ActorView } from '../views.ts';
import { type CallOptions, HubResource, segment } from './resource.ts';

/** Who the actors of events are, by name. */
export class Actors extends HubResource {
  /** Every token holder, or those among `ids` (at most 100). */
  async list(ids?: readonly string[], options: CallOptions = {}): Promise<ActorView[]> {
    const query = ids === undefined ? '' : `?ids=${segment(ids.join(','))}`;
    return (await this.send<{ actors: ActorView[] }>({ method: 'GET', path: `/actors${query}`, idempotent: true }, options)).actors;
  }
}

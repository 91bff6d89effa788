import type { People as PeopleAnswer } from '../../../contracts/api-views.ts';
import { type CallOptions, HubResource } from './resource.ts';

/** A person of the config file, with their contact points and how delivery to each stands. */
export type PersonView = PeopleAnswer['people'][number];

/** The people the hub tells (admin only); they come from the config file, not from the API. */
export class People extends HubResource {
  /** Every person, in the config file's order; a contact point's address is never a secret URL whole. */
  async list(options: CallOptions = {}): Promise<PersonView[]> {
    return (await this.send<PeopleAnswer>({ method: 'GET', path: '/people', idempotent: true }, options)).people;
  }
}

import { type HubConnection, type HubRequest, sendToHub } from '../hub-request.ts';

/** What any one call may carry: a signal that abandons it (its retries too). */
export interface CallOptions {
  signal?: AbortSignal;
}

/** One resource of the hub's API: the client's connection, and the one way its calls are sent. */
export class HubResource {
  protected readonly connection: HubConnection;

  constructor(connection: HubConnection) {
    this.connection = connection;
  }

  protected send<T>(request: HubRequest, options: CallOptions = {}): Promise<T> {
    return sendToHub<T>(this.connection, options.signal ? { ...request, signal: options.signal } : request);
  }
}

/** A path segment from a caller's id, so an id can never reach another path. */
export const segment = encodeURIComponent;

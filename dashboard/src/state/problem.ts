import { HubClientError } from '../../../server/client/errors.ts';

/** What to show a person for a failed request: the problem's `detail`, or why the hub could not be reached. */
export function problemText(error: unknown): string {
  if (error instanceof HubClientError) return error.status === 0 ? `cannot reach the hub: ${error.detail}` : error.detail;
  return error instanceof Error ? error.message : String(error);
}

/** The HTTP status of a failed request (0: no answer, or not a request error). */
export function problemStatus(error: unknown): number {
  return error instanceof HubClientError ? error.status : 0;
}

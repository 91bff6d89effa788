import type { HubClient } from '../client/hub-client.ts';
import type { DecisionView } from '../client/views.ts';

/** The name of whoever answered `decision` (`GET /actors`); undefined when no person did or the hub cannot say: a name is a nicety, never a failure. */
export async function resolverName(client: HubClient, decision: DecisionView): Promise<string | undefined> {
  if (!decision.resolvedBy) return undefined;
  try {
    const [actor] = await client.actors.list([decision.resolvedBy]);
    return actor?.name;
  } catch {
    return undefined;
  }
}

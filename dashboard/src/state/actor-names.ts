import type { DashboardState } from './dashboard-state.ts';
import type { ActorView, EventEnvelope } from './types.ts';

type Names = Pick<DashboardState, 'actors' | 'agents'>;

/**
 * What a person reads for an actor id: the name `GET /actors` gave, an agent's name from its
 * view, else a token's role and a short id (`operator:tok_3f9a1c...` reads `operator 3f9a1c`).
 */
export function nameOf(state: Names, actor: string): string {
  const known = state.actors.get(actor);
  if (known !== undefined) return known;
  const [role, id] = splitActor(actor);
  if (role === 'agent' && id !== undefined) return state.agents.get(id)?.name ?? id;
  return unnamed(actor);
}

/** The people in `events` (who appended them, who approved or answered) whose names are not known yet; agents are named by their view. */
export function unnamedActors(state: Names, events: readonly EventEnvelope[]): string[] {
  const unnamed = new Set<string>();
  for (const event of events) {
    const by = (event.data as { by?: unknown }).by;
    for (const actor of [event.actor, typeof by === 'string' ? by : undefined]) {
      if (actor !== undefined && !actor.startsWith('agent:') && !state.actors.has(actor)) unnamed.add(actor);
    }
  }
  return [...unnamed];
}

/** Learns names; every one of `asked` the hub did not know keeps the name its id gives, so it is not asked again. */
export function withActors<S extends Names>(state: S, actors: readonly ActorView[], asked: readonly string[] = []): S {
  const names = new Map(state.actors);
  for (const actor of asked) if (!names.has(actor)) names.set(actor, unnamed(actor));
  for (const { actor, name } of actors) names.set(actor, name);
  return { ...state, actors: names };
}

/** A token holder without a known name: its role and a short id, as the hub names an unnamed token. */
function unnamed(actor: string): string {
  const [role, id] = splitActor(actor);
  return id?.startsWith('tok_') ? `${role} ${id.slice(4, 10)}` : actor;
}

function splitActor(actor: string): [string, string | undefined] {
  const colon = actor.indexOf(':');
  return colon < 0 ? [actor, undefined] : [actor.slice(0, colon), actor.slice(colon + 1)];
}

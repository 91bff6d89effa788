import type { Kysely } from 'kysely';
import type { Agent } from '../agents/model.ts';
import { isFinal } from '../agents/model.ts';
import { findAgent } from '../agents/store.ts';
import type { Principal } from '../auth/roles.ts';
import type { Database } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import type { EventDraft } from '../log/new-event.ts';
import type { HookAdapter, HookCall } from './model.ts';
import { sessionName } from './rules.ts';
import { registeredBy } from './store.ts';

/** A session's agent, and the registration to log before the hook's own event (none when it is live already). */
export interface SessionAgent {
  id: string;
  agent: Agent | undefined;
  register: EventDraft[];
}

/**
 * Owners of sessions' agents, by agent id: an agent is registered once and keeps its owner, so
 * what this hub learned stays true whichever hub registered it.
 */
export class SessionOwners {
  readonly #owners = new Map<string, string>();
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * The agent a session is, for the token that sends its hooks: registered by the session's
   * first hook (again after it ended, when it is resumed), named from its project directory. A
   * session whose agent another token registered, or that is an agent of another kind, is a 403.
   */
  async agentOf(adapter: HookAdapter, principal: Principal, call: HookCall): Promise<SessionAgent> {
    const id = `${adapter.agentPrefix}-${call.session.id}`;
    const agent = await findAgent(this.#db, id);
    if (agent !== undefined) {
      const owner = this.#owners.get(id) ?? (await registeredBy(this.#db, id));
      if (owner !== undefined) this.#owners.set(id, owner);
      if (owner !== principal.actor) {
        throw new HubError('forbidden', `session ${call.session.id} is the agent ${id} of another token; a token sends hooks only for the sessions it registered`);
      }
    }
    // A session unknown to the hub is registered even by its last hook, so that its end is the agent's.
    if (agent !== undefined && (!isFinal(agent.status) || call.type === 'session.ended')) return { id, agent, register: [] };
    const register: EventDraft = {
      type: 'agent.registered',
      actor: principal.actor,
      agentId: id,
      data: { via: 'hook', vendor: adapter.vendor, sessionId: call.session.id, cwd: call.session.cwd, name: sessionName(call.session) },
      // The first registration under a key, so two first hooks at once register it once; a resumed session's again under its own.
      ...(agent === undefined ? { idempotencyKey: `agent:${id}:registered` } : {}),
    };
    return { id, agent, register: [register] };
  }
}

import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { ActorView } from '../../contracts/views.ts';
import type { Database } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import type { HubEnv } from '../http/env.ts';
import { allow } from './middleware.ts';
import { actorOf } from './roles.ts';
import { findPeopleTokens, holderName } from './tokens.ts';

const maxIds = 100;
const services: ActorView[] = [
  { actor: 'healer', name: 'healer', role: 'healer' },
  { actor: 'hub', name: 'hub', role: 'hub' },
];

/**
 * `GET /actors?ids=` (any role): the name behind each actor that holds a token (`operator:tok_...`),
 * revoked ones included so history stays readable, the people asked for who answered by link
 * (`person:ann`), plus the healer and the hub. Never a secret.
 */
export function actorsRoutes(deps: { db: Kysely<Database> }): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  app.get('/actors', allow('GET /actors'), async (c) => {
    const wanted = c.req.query('ids')?.split(',').filter((id) => id !== '');
    if (wanted !== undefined && wanted.length > maxIds) {
      throw new HubError('validation_failed', `?ids= names at most ${maxIds} actors; ask in several requests`, [{ path: '/ids', message: `must name at most ${maxIds} actors` }]);
    }
    const tokenIds = wanted?.map((actor) => actor.slice(actor.indexOf(':') + 1)).filter((id) => id.startsWith('tok_'));
    const tokens = await findPeopleTokens(deps.db, tokenIds);
    const holders = tokens.map((t) => ({ actor: actorOf(t.role, t.id, t.agentId), name: holderName(t), role: t.role }));
    const byLink = (wanted ?? []).filter((actor) => actor.startsWith('person:')).map((actor) => ({ actor, name: actor.slice('person:'.length), role: 'person' }));
    const actors = [...services, ...holders, ...byLink];
    return c.json({ actors: wanted === undefined ? actors : actors.filter((a) => wanted.includes(a.actor)) });
  });
  return app;
}

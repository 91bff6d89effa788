import { Hono } from 'hono';
import type { InjectRequest, SpawnRequest } from '../../contracts/index.ts';
import { customAlphabet } from 'nanoid';
import { injectableStatuses } from '../../contracts/vocabulary.ts';
import { unknownAgent } from '../agents/rules.ts';
import { findAgent, hubPausedAll } from '../agents/store.ts';
import { allow, principalOf } from '../auth/middleware.ts';
import type { Principal } from '../auth/roles.ts';
import type { AgentTemplate } from '../config.ts';
import { HubError } from '../errors.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { knownQuery } from '../http/known-query.ts';
import { idempotencyKeyOf, jsonBody, matching } from '../http/json-body.ts';
import { findEventByKey } from '../log/find-event.ts';
import { handleCommand } from '../log/command.ts';
import { newEvent } from '../log/new-event.ts';
import { inScope } from '../projects/scope.ts';
import { branchNameProblem } from '../workspaces/rules.ts';
import { findRespawn, findSpawnRequest } from './store.ts';

const agentSuffix = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);

/** What a spawn starts: the template by name and what the agent gets. */
interface SpawnPlan {
  template: string;
  name?: string;
  taskId?: string;
  input?: unknown;
  budgetUsd?: number;
  respawnOf?: string;
}

/** `POST /spawn` and `POST /inject`: start an agent from a template; hand a running agent a message. */
export function spawnRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();

  app.post('/spawn', allow('POST /spawn'), jsonBody(matching<SpawnRequest>(deps.contracts, 'requests/spawn-request.schema.json')), async (c) => {
    const principal = principalOf(c);
    const request = c.req.valid('json');
    const body = request.respawnOf !== undefined ? await respawnPlan(deps, request) : newPlan(principal, request);
    // Own names only: `constructor` or `toString` are on every object, and are no template.
    const template: AgentTemplate | undefined = Object.hasOwn(deps.config.templates, body.template) ? deps.config.templates[body.template] : undefined;
    if (!template) {
      const known = Object.keys(deps.config.templates);
      throw new HubError('validation_failed', `no template "${body.template}"; configured: ${known.join(', ') || 'none'}`);
    }
    if (!inScope(principal, template.project ?? 'default')) throw new HubError('forbidden', `a token of project "${principal.projectId}" spawns only its project's templates; "${body.template}" is of "${template.project ?? 'default'}"`);
    const agentId = `agt_${agentSuffix()}`;
    const name = body.name ?? `${body.template}-${agentId.slice(4, 10)}`;
    // Its runner gives it the branch mc/<name>: a name git refuses is refused now, not at the runner.
    const branchProblem = template.workspace ? branchNameProblem(name) : undefined;
    if (branchProblem) throw new HubError('validation_failed', branchProblem, [{ path: '/name', message: branchProblem }]);
    const budgetUsd = body.budgetUsd ?? template.budgetUsd;
    const header = idempotencyKeyOf(c, deps.contracts);
    // Scoped to the caller, so a repeated request starts nothing new and no one can take another's key.
    const key = header === undefined ? undefined : `spawn:${principal.actor}:${header}`;
    let earlier: { agentId?: string; data: Record<string, unknown> } | undefined;
    await deps.appender.execute(async (trx) => {
      earlier = key === undefined ? undefined : await findEventByKey(trx, key);
      if (earlier) return [];
      if (await hubPausedAll(trx)) throw new HubError('conflict', 'the hub is paused (pause-all): no agent starts until resume-all');
      const respawned = body.respawnOf !== undefined ? await findRespawn(trx, body.respawnOf) : undefined;
      if (respawned) throw new HubError('conflict', `agent "${body.respawnOf}" was respawned already, as "${respawned.agentId}"; respawn that one if it fails`);
      const data = {
        template: body.template,
        name,
        ...(body.taskId ? { taskId: body.taskId } : {}),
        ...(body.input !== undefined ? { input: body.input } : {}),
        ...(body.respawnOf !== undefined ? { respawnOf: body.respawnOf } : {}),
        ...(template.project !== undefined ? { projectId: template.project } : {}),
      };
      const events = [newEvent({ type: 'agent.spawn_requested', data, actor: principal.actor, agentId, taskId: body.taskId ?? null, ...(key ? { idempotencyKey: key } : {}) }, c.get('origin'))];
      if (budgetUsd !== undefined) {
        events.push(newEvent({ type: 'budget.limit_changed', data: { scope: 'agent', scopeId: agentId, limitUsd: budgetUsd, by: principal.actor }, actor: principal.actor, agentId }, c.get('origin')));
      }
      return events;
    });
    if (earlier) return c.json({ agentId: earlier.agentId, name: earlier.data.name, deduped: true }, 200);
    // A runner takes it as soon as one can: `GET /agents/:id` says why it waits meanwhile.
    return c.json({ agentId, name }, 202);
  });

  app.post('/inject', allow('POST /inject'), jsonBody(matching<InjectRequest>(deps.contracts, 'requests/inject-request.schema.json')), async (c) => {
    const principal = principalOf(c);
    const body = c.req.valid('json');
    const [receipt] = await handleCommand(
      deps.appender,
      (trx) => findAgent(trx, body.agentId),
      (agent) => {
        if (!agent || !inScope(principal, agent.projectId)) throw new HubError('not_found', `no agent ${body.agentId}`);
        if (!injectableStatuses.includes(agent.status)) {
          throw new HubError('conflict', `agent ${body.agentId} is ${agent.status}; only a running agent takes messages`);
        }
        return [{ type: 'agent.message_injected', data: { message: body.message, from: principal.actor } }];
      },
      { actor: principal.actor, agentId: body.agentId, origin: c.get('origin') },
    );
    return c.json({ id: receipt!.id, seq: receipt!.seq, agentId: body.agentId }, 202);
  });
  return app;
}

/** A spawn from a template the request names; the healer never sends one: it only respawns. */
function newPlan(principal: Principal, request: SpawnRequest): SpawnPlan {
  if (principal.role === 'healer') {
    throw new HubError('forbidden', 'the healer spawns only to respawn a failed agent: send {"respawnOf": "<agent id>"}, not a template');
  }
  if (request.template === undefined) throw new HubError('validation_failed', 'name a template, or a failed agent to start again as respawnOf');
  const { respawnOf: _, ...plan } = request;
  return { ...plan, template: request.template };
}

/** A respawn repeats the failed agent's own spawn request (template, name, task, input), nothing the caller chooses. */
async function respawnPlan(deps: FeatureDeps, request: SpawnRequest): Promise<SpawnPlan> {
  const id = request.respawnOf!;
  const extra = Object.keys(request).filter((field) => field !== 'respawnOf');
  if (extra.length > 0) throw new HubError('validation_failed', `respawnOf takes nothing else (got ${extra.join(', ')}): the respawn repeats the failed agent's own spawn request`);
  const agent = await findAgent(deps.db, id);
  if (agent === undefined) throw unknownAgent(id);
  if (agent.status !== 'failed') throw new HubError('conflict', `agent "${id}" is ${agent.status}; only a failed agent is respawned`);
  const origin = await findSpawnRequest(deps.db, id);
  if (origin === undefined) throw new HubError('conflict', `agent "${id}" was not started by the hub (it has no agent.spawn_requested): there is nothing to repeat`);
  const data = origin.data as { template: string; name: string; taskId?: string; input?: unknown };
  return { template: data.template, name: data.name, ...(data.taskId !== undefined ? { taskId: data.taskId } : {}), ...(data.input !== undefined ? { input: data.input } : {}), respawnOf: id };
}

/** `GET /templates` (operators): the names `POST /spawn` accepts, with their descriptions; never the commands. */
export function templatesRoutes(templates: Readonly<Record<string, AgentTemplate>>): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const list = Object.entries(templates).map(([name, template]) => ({ name, description: template.description ?? null, project: template.project ?? 'default' }));
  // A scoped token sees its project's templates only.
  app.get('/', allow('GET /templates'), knownQuery([]), (c) =>
    c.json({ templates: list.filter((t) => inScope(principalOf(c), t.project)).map(({ name, description }) => ({ name, description })) }),
  );
  return app;
}

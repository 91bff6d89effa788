import { Hono } from 'hono';
import { customAlphabet } from 'nanoid';
import { isPausedAll } from '../agents/rules.ts';
import { pauseAllMarks } from '../agents/pause-all-marks.ts';
import { allow, principalOf } from '../auth/middleware.ts';
import { insertToken, newSecret } from '../auth/tokens.ts';
import type { AgentTemplate } from '../config.ts';
import { HubError } from '../errors.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { readJson } from '../http/read-json.ts';
import { findEventByKey } from '../log/find-event.ts';
import { newEvent } from '../log/new-event.ts';
import { agentEnvironment } from './environment.ts';
import { type AgentSupervisor, logEnd } from './supervisor.ts';

const agentSuffix = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);

interface SpawnRequest {
  template: string;
  name?: string;
  taskId?: string;
  input?: unknown;
  budgetUsd?: number;
}

/** `POST /spawn` and `POST /inject`: start an agent from a template; hand a running agent a message. */
export function spawnRoutes(deps: FeatureDeps, supervisor: AgentSupervisor, reachProblem: (template: string) => string | undefined): Hono<HubEnv> {
  const app = new Hono<HubEnv>();

  app.post('/spawn', allow('POST /spawn'), async (c) => {
    const principal = principalOf(c);
    const body = checked<SpawnRequest>(deps, 'mc:spawn-request', await readJson(c));
    // Own names only: `constructor` or `toString` are on every object, and are no template.
    const template: AgentTemplate | undefined = Object.hasOwn(deps.config.templates, body.template) ? deps.config.templates[body.template] : undefined;
    if (!template) {
      const known = Object.keys(deps.config.templates);
      throw new HubError(400, 'validation_failed', `no template "${body.template}"; configured: ${known.join(', ') || 'none'}`);
    }
    const agentId = `agt_${agentSuffix()}`;
    const name = body.name ?? `${body.template}-${agentId.slice(4, 10)}`;
    const budgetUsd = body.budgetUsd ?? template.budgetUsd;
    const key = idempotencyKey(deps, c.req.header('idempotency-key'), principal.actor);
    let earlier: { agentId?: string; data: Record<string, unknown> } | undefined;
    await deps.appender.execute(async (trx) => {
      earlier = key === undefined ? undefined : await findEventByKey(trx, key);
      if (earlier) return [];
      if (isPausedAll(await pauseAllMarks(trx))) throw new HubError(409, 'conflict', 'the hub is paused (pause-all): no agent starts until resume-all');
      const data = { template: body.template, name, ...(body.taskId ? { taskId: body.taskId } : {}), ...(body.input !== undefined ? { input: body.input } : {}) };
      const events = [newEvent({ type: 'agent.spawn_requested', data, actor: principal.actor, agentId, taskId: body.taskId ?? null, ...(key ? { idempotencyKey: key } : {}) })];
      if (budgetUsd !== undefined) {
        events.push(newEvent({ type: 'budget.limit_changed', data: { scope: 'agent', scopeId: agentId, limitUsd: budgetUsd, by: principal.actor }, actor: principal.actor, agentId }));
      }
      return events;
    });
    if (earlier) {
      // A retry: that agent was started already, and its token was shown then.
      return c.json({ agentId: earlier.agentId, name: earlier.data.name, deduped: true }, 200);
    }
    const token = newSecret();
    await insertToken(deps.db, token, 'agent', agentId, name);
    const env = agentEnvironment(deps.environment, template, { hubUrl: deps.hubUrl(), agentId, token, taskId: body.taskId, input: body.input });
    try {
      const unreachable = reachProblem(body.template);
      if (unreachable) throw new Error(unreachable);
      await supervisor.launch({ agentId, command: template.command, args: template.args ?? [], cwd: template.cwd, env, stdin: template.stdin ?? 'none' }, template.timeoutSec);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await logEnd(deps.appender, agentId, newEvent({ type: 'agent.failed', data: { code: null, signal: null, error: `could not start: ${message}` }, actor: 'hub', agentId, idempotencyKey: `agent:${agentId}:ended` }));
    }
    return c.json({ agentId, token, name }, 202);
  });

  app.post('/inject', allow('POST /inject'), async (c) => {
    const principal = principalOf(c);
    const body = checked<{ agentId: string; message: string }>(deps, 'mc:inject-request', await readJson(c));
    const [receipt] = await deps.appender.execute(async (trx) => {
      const agent = await trx.selectFrom('agents').select(['status']).where('id', '=', body.agentId).executeTakeFirst();
      if (!agent) throw new HubError(404, 'not_found', `no agent ${body.agentId}`);
      if (!['running', 'awaiting_decision', 'paused'].includes(agent.status)) {
        throw new HubError(409, 'conflict', `agent ${body.agentId} is ${agent.status}; only a running agent takes messages`);
      }
      return [newEvent({ type: 'agent.message_injected', data: { message: body.message, from: principal.actor }, actor: principal.actor, agentId: body.agentId })];
    });
    return c.json({ id: receipt!.id, seq: receipt!.seq, agentId: body.agentId }, 202);
  });
  return app;
}

/** A retry-safe spawn: the client's key, scoped to the caller, so a repeated request starts nothing new. */
function idempotencyKey(deps: FeatureDeps, header: string | undefined, actor: string): string | undefined {
  if (header === undefined) return undefined;
  const problems = deps.contracts.check('mc:append#/definitions/idempotencyKey', header);
  if (problems.length > 0) throw new HubError(400, 'validation_failed', `Idempotency-Key header ${problems[0]!.message}`, problems);
  return `spawn:${actor}:${header}`;
}

function checked<T>(deps: FeatureDeps, schemaId: string, body: unknown): T {
  const problems = deps.contracts.check(schemaId, body);
  if (problems.length > 0) throw new HubError(400, 'validation_failed', `${problems[0]!.path || 'the body'} ${problems[0]!.message}`, problems);
  return body as T;
}

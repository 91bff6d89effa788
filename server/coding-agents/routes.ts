import { Hono } from 'hono';
import { isFinal } from '../agents/model.ts';
import { allow, principalOf } from '../auth/middleware.ts';
import { HubError } from '../errors.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { jsonBody } from '../http/json-body.ts';
import { knownQuery } from '../http/known-query.ts';
import type { EventDraft } from '../log/new-event.ts';
import { newEvent } from '../log/new-event.ts';
import type { PolicySet } from '../policies/rules.ts';
import { adapters } from './adapters.ts';
import { answerToolCall } from './gate.ts';
import type { HookAdapter, HookCall } from './model.ts';
import { cutValue } from './rules.ts';
import { SessionOwners } from './sessions.ts';

/** Names the vendors in messages ("Claude Code session ..."). */
const vendorNames: Record<string, string> = { 'claude-code': 'Claude Code' };

/**
 * `POST /integrations/:vendor/hooks`: a coding agent's hook. Logs what it says about its session
 * (the session being an agent of the token that sends its hooks) and answers in the vendor's own
 * format: no opinion, or for a tool call the policy's verdict or the decision it waited for.
 */
export function codingAgentsRoutes(deps: FeatureDeps, policies: () => Promise<PolicySet>): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const owners = new SessionOwners(deps.db);
  const hookOf = jsonBody((body, c) => {
    const adapter = adapterOf(c.req.param('vendor') ?? '');
    return { adapter, call: adapter.read(body) };
  });
  app.post('/:vendor/hooks', allow('POST /integrations/:vendor/hooks'), knownQuery([]), hookOf, async (c) => {
    const { adapter, call } = c.req.valid('json');
    const principal = principalOf(c);
    const session = await owners.agentOf(adapter, principal, call);
    const event: EventDraft = {
      type: call.type,
      actor: principal.actor,
      agentId: session.id,
      data: { vendor: adapter.vendor, sessionId: call.session.id, cwd: call.session.cwd, transcriptPath: call.session.transcriptPath, ...cutData(deps, call) },
    };
    if (call.gate !== undefined) {
      const answer = await answerToolCall(deps, await policies(), {
        call: call as HookCall & { gate: NonNullable<HookCall['gate']> },
        vendorName: vendorNames[adapter.vendor] ?? adapter.vendor,
        agentId: session.id,
        agent: session.agent,
        principal,
        origin: c.get('origin'),
        register: session.register,
        requested: event,
        signal: c.req.raw.signal,
      });
      return c.json(adapter.answer(call, answer));
    }
    // A session's end ends its agent: its pending decisions are withdrawn with it.
    const ends: EventDraft[] = call.type === 'session.ended' && (session.agent === undefined || !isFinal(session.agent.status)) ? [{ type: 'agent.exited', actor: principal.actor, agentId: session.id, data: { code: 0 } }] : [];
    await deps.appender.append([...session.register, event, ...ends].map((draft) => newEvent(draft, c.get('origin'))));
    return c.json(adapter.answer(call, undefined));
  });
  return app;
}

function adapterOf(vendor: string): HookAdapter {
  const adapter = adapters.get(vendor);
  if (adapter === undefined) throw new HubError('not_found', `no integration "${vendor}"; the hub takes hooks from: ${[...adapters.keys()].join(', ')}`);
  return adapter;
}

/** The hook's data with every long text cut to `codingAgents.textChars`, marked. */
function cutData(deps: FeatureDeps, call: HookCall): Record<string, unknown> {
  const max = deps.config.codingAgents.textChars;
  return Object.fromEntries(Object.entries(call.data).map(([field, value]) => [field, cutValue(value, max)]));
}

import { Hono } from 'hono';
import { HubError, invalidInput } from '../errors.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { parseJson } from '../http/json-body.ts';
import { findEventById, findEventByKey } from '../log/find-event.ts';
import { webhookKey, webhookRefusal } from '../webhooks/signature.ts';
import { recordHealerReport } from './commands.ts';
import { callbackKey } from './model.ts';

const healTypes = ['heal.completed', 'heal.escalated'];

/**
 * `POST /healer/callbacks`: the healer's signed reports. Authenticated by the Standard Webhooks
 * signature, not a token; a replayed `webhook-id` returns what the first delivery appended.
 * The signed body names this hub's log and a failure in it, so a callback sent to another hub
 * sharing the secret is refused there. An escalation opens a decision for a human in the same
 * transaction, unless one about the same agent is still open: then it names that one.
 */
export function healerCallbacksRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const key = deps.healerSecret ? webhookKey(deps.healerSecret) : undefined;

  app.post('/callbacks', async (c) => {
    const body = await c.req.text();
    const headers = { id: c.req.header('webhook-id'), timestamp: c.req.header('webhook-timestamp'), signature: c.req.header('webhook-signature') };
    const refusal = key ? webhookRefusal(key, headers, body, Math.floor(deps.clock.now().getTime() / 1000)) : 'the hub has no healer secret (MC_HEALER_SECRET) configured';
    if (refusal) throw new HubError('unauthorized', refusal);
    const message = parse(deps, body);
    if (message.logId !== deps.logId) {
      throw new HubError('unprocessable', `the callback is signed for log "${message.logId}", but this hub serves log "${deps.logId}" (see /versionz)`);
    }
    const failureEventId = String(message.data.failureEventId);
    const failure = await findEventById(deps.db, failureEventId);
    if (failure === undefined) throw new HubError('unprocessable', `/data/failureEventId: no event ${failureEventId} in this hub's log`);
    const eventKey = callbackKey(headers.id);
    const { receipt, decisionId } = await recordHealerReport(deps, message, failure, eventKey, c.get('origin'));
    const stored = receipt?.deduped === false ? undefined : await findEventByKey(deps.db, eventKey);
    if (stored) {
      const data = stored.data as { decisionId?: string };
      return c.json({ eventId: stored.id, seq: stored.seq, deduped: true, ...(data.decisionId ? { decisionId: data.decisionId } : {}) });
    }
    return c.json({ eventId: receipt!.id, seq: receipt!.seq, deduped: false, ...(decisionId ? { decisionId } : {}) });
  });
  return app;
}

function parse(deps: FeatureDeps, body: string): { type: string; logId: string; data: Record<string, unknown> } {
  const { type, logId, data } = (parseJson(body) ?? {}) as { type?: unknown; logId?: unknown; data?: unknown };
  if (typeof type !== 'string' || !healTypes.includes(type) || typeof logId !== 'string' || typeof data !== 'object' || data === null) {
    throw new HubError('validation_failed', `a callback is {"type": "heal.completed" | "heal.escalated", "logId": "<the hub's /versionz logId>", "data": {...}}`);
  }
  const problems = deps.contracts.check(deps.contracts.dataSchemaId(type)!, data);
  if (problems.length > 0) throw invalidInput(problems.map((p) => ({ ...p, path: `/data${p.path}` })));
  return { type, logId, data: data as Record<string, unknown> };
}

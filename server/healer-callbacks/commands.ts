import type { AppendReceipt, EventEnvelope, Origin } from '../../contracts/index.ts';
import { findAgent } from '../agents/store.ts';
import { decisionKey } from '../decisions/model.ts';
import { decideRequest } from '../decisions/rules.ts';
import type { FeatureDeps } from '../feature.ts';
import { eventOf } from '../log/command.ts';
import { findEventByKey } from '../log/find-event.ts';
import { newEvent } from '../log/new-event.ts';
import { type Escalated, escalationAsk } from './model.ts';
import { openEscalation } from './store.ts';

/** A healer report whose signature, log and schema were checked. */
export interface HealerReport {
  type: string;
  data: Record<string, unknown>;
}

/**
 * Appends the healer's report about `failure` once under `eventKey` (no receipt when it was already
 * there). An escalation opens a decision for a human in the same transaction, unless one about the
 * same agent is still open: then it names that one.
 */
export async function recordHealerReport(
  deps: Pick<FeatureDeps, 'appender' | 'clock' | 'config'>,
  report: HealerReport,
  failure: EventEnvelope,
  eventKey: string,
  origin: Origin,
): Promise<{ receipt: AppendReceipt | undefined; decisionId: string | undefined }> {
  let decisionId: string | undefined;
  const [receipt] = await deps.appender.execute(async (trx) => {
    const earlier = await findEventByKey(trx, eventKey);
    if (earlier) return [];
    const subjects = { agentId: failure.agentId ?? null, taskId: failure.taskId ?? null };
    const healEvent = (data: Record<string, unknown>) => newEvent({ type: report.type, data, actor: 'healer', ...subjects, causationId: failure.id, idempotencyKey: eventKey }, origin);
    if (report.type === 'heal.completed') return [healEvent(report.data)];
    // One open escalation per agent: a further one is logged against it and opens no decision.
    const open = failure.agentId !== undefined ? await openEscalation(trx, failure.agentId) : undefined;
    if (open !== undefined) {
      decisionId = open;
      return [healEvent({ ...report.data, decisionId: open })];
    }
    const expiresAt = new Date(deps.clock.now().getTime() + deps.config.decisions.defaultExpiresInSec * 1000);
    // The title is what a person scans in the inbox, so it names the agent as the views do.
    const agent = failure.agentId !== undefined ? await findAgent(trx, failure.agentId) : undefined;
    const ask = escalationAsk(report.data as unknown as Escalated, failure, expiresAt, agent?.name);
    decisionId = ask.id;
    const heal = healEvent({ ...report.data, decisionId: ask.id });
    const decision = decideRequest(ask).map((change) =>
      eventOf({ ...change, idempotencyKey: decisionKey(ask.id, 'requested') }, { actor: 'hub', ...subjects, cause: heal }),
    );
    return [heal, ...decision];
  });
  return { receipt, decisionId };
}

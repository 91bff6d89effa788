import type { Origin } from '../../contracts/index.ts';
import type { Agent } from '../agents/model.ts';
import { isPausedAll } from '../agents/rules.ts';
import type { Principal } from '../auth/roles.ts';
import { personName } from '../auth/tokens.ts';
import { cancelDecision, requestDecision } from '../decisions/commands.ts';
import { type Decision, newDecisionId } from '../decisions/model.ts';
import { existingDecision } from '../decisions/store.ts';
import { awaitDecision } from '../decisions/wait.ts';
import type { FeatureDeps } from '../feature.ts';
import { findEvents, lastSeqsOfTypes } from '../log/event-query.ts';
import { type EventDraft, newEvent } from '../log/new-event.ts';
import type { PolicyVerdict } from '../policies/model.ts';
import { type PolicySet, evaluate } from '../policies/rules.ts';
import type { GateAnswer, HookCall } from './model.ts';
import { describeCall, pausedReason, sessionName } from './rules.ts';

const decisionRisks = new Set(['medium', 'high', 'red']);
// A decision the timer has not expired yet when its deadline passes is answered by its onTimeout here, this long after.
const deadlineGraceMs = 3000;

/** What a gated hook is about: the session's agent and the events to log before the answer. */
export interface GateRequest {
  call: HookCall & { gate: NonNullable<HookCall['gate']> };
  vendorName: string;
  agentId: string;
  agent: Agent | undefined;
  principal: Principal;
  origin: Origin;
  /** The agent's registration, when this hook registers it: logged first. */
  register: EventDraft[];
  /** The `tool.requested` event, less the verdict. */
  requested: EventDraft;
  /** Ends when the hook's client stops waiting. */
  signal: AbortSignal;
}

/**
 * Answers a tool call: denied while its agent or the hub is paused; else by the first policy rule
 * that matches, at once (allow, low, deny, ask) or by a decision in the inbox that the hook waits
 * on until its deadline (medium, high, red). Every verdict is logged in the `tool.requested` event.
 */
export async function answerToolCall(deps: FeatureDeps, policies: PolicySet, request: GateRequest): Promise<GateAnswer> {
  const { gate, session } = request.call;
  const logged = (policy: Record<string, unknown>) => [...request.register, { ...request.requested, data: { ...request.requested.data, policy } }];
  const paused = await pauseOf(deps, request.agent);
  if (paused !== undefined) {
    await append(deps, request, logged({ rule: 'paused', verdict: 'paused', reason: paused, source: 'pause' }));
    return { decision: 'deny', reason: paused };
  }
  // A session registering with this very hook is judged as the agent it becomes.
  const agent = request.agent ?? { id: request.agentId, name: sessionName(session), template: null, projectId: 'default' };
  const verdict = evaluate(policies, { tool: gate.tool, input: gate.input, agent, ...(session.cwd ? { cwd: session.cwd } : {}) });
  if (decisionRisks.has(verdict.verdict)) return decide(deps, request, verdict, logged({ ...verdict }));
  await append(deps, request, logged({ ...verdict }));
  return immediate(verdict);
}

function append(deps: FeatureDeps, request: GateRequest, drafts: EventDraft[]): Promise<unknown> {
  return deps.appender.append(drafts.map((draft) => newEvent(draft, request.origin)));
}

function immediate(verdict: PolicyVerdict): GateAnswer {
  switch (verdict.verdict) {
    case 'allow':
    case 'low':
      return { decision: 'allow', reason: `allowed by policy rule "${verdict.rule}": ${verdict.reason}` };
    case 'ask':
      return { decision: 'ask', reason: `policy rule "${verdict.rule}" leaves it to you: ${verdict.reason}` };
    default:
      return { decision: 'deny', reason: `denied by policy rule "${verdict.rule}": ${verdict.reason}` };
  }
}

/** Opens the decision with the logged call, waits for it up to its deadline, and answers by its outcome. */
async function decide(deps: FeatureDeps, request: GateRequest, verdict: PolicyVerdict, logged: EventDraft[]): Promise<GateAnswer> {
  const { gate, session } = request.call;
  const decisionId = newDecisionId();
  const now = deps.clock.now();
  const waitMs = deps.config.codingAgents.decisionWaitSec * 1000;
  const { title, context } = describeCall(request.vendorName, session, gate.tool, gate.input, verdict);
  const events = logged.map((draft) => newEvent(draft.type === 'tool.requested' ? { ...draft, decisionId } : draft, request.origin));
  // The wait's place is taken first: a token at its limit is refused before anything is asked.
  const stop = new AbortController();
  const release = deps.held.hold(request.principal.tokenId, () => stop.abort());
  try {
    await requestDecision(
      deps.appender,
      {
        id: decisionId,
        title,
        context,
        options: ['approve', 'deny'],
        risk: verdict.verdict as Decision['risk'],
        expiresAt: new Date(now.getTime() + waitMs).toISOString(),
        // A red call is never approved by silence.
        onTimeout: verdict.verdict === 'red' && deps.config.decisions.defaultOnTimeout === 'approve' ? 'deny' : deps.config.decisions.defaultOnTimeout,
        agentId: request.agentId,
        taskId: request.agent?.taskId ?? null,
        tool: gate.tool,
      },
      { actor: request.principal.actor, key: undefined, origin: request.origin },
      events,
    );
    const pending = await existingDecision(deps.db, decisionId);
    const settled = await awaitDecision(deps.db, deps.fanout, pending, waitMs + deadlineGraceMs, AbortSignal.any([request.signal, stop.signal]));
    if (settled.status === 'pending') await withdraw(deps, request, decisionId, request.signal.aborted ? 'the session stopped waiting' : 'no answer before the hook had to answer');
    return await answerOf(deps, await existingDecision(deps.db, decisionId));
  } finally {
    release();
  }
}

async function withdraw(deps: FeatureDeps, request: GateRequest, decisionId: string, reason: string): Promise<void> {
  try {
    await cancelDecision(deps.appender, decisionId, request.principal, reason, request.origin);
  } catch {
    // Settled meanwhile (answered or expired): its outcome is what counts.
  }
}

async function answerOf(deps: FeatureDeps, decision: Decision): Promise<GateAnswer> {
  const suffix = decision.comment ? `: ${decision.comment}` : '';
  if (decision.status === 'resolved') {
    const who = decision.resolvedBy ? await personName(deps.db, decision.resolvedBy) : 'an operator';
    return decision.outcome === 'approve'
      ? { decision: 'allow', reason: `approved by ${who} (decision ${decision.id})${suffix}` }
      : { decision: 'deny', reason: `${decision.outcome === 'deny' ? 'denied' : decision.outcome} by ${who} (decision ${decision.id})${suffix}` };
  }
  if (decision.status === 'expired') {
    return decision.outcome === 'approve'
      ? { decision: 'allow', reason: `no answer in time; decision ${decision.id} approves on timeout` }
      : { decision: 'deny', reason: `no answer in time (decision ${decision.id}${decision.escalatedTo ? `, escalated to ${decision.escalatedTo}` : ''}); denied, ask again later` };
  }
  return { decision: 'deny', reason: `decision ${decision.id} was withdrawn${suffix}` };
}

/** Why the agent's tool calls are refused: paused itself, or the hub paused as a whole; undefined when neither. */
async function pauseOf(deps: FeatureDeps, agent: Agent | undefined): Promise<string | undefined> {
  const marks = await lastSeqsOfTypes(deps.db, ['hub.paused_all', 'hub.resumed_all'] as const);
  if (isPausedAll({ pausedSeq: marks['hub.paused_all'] ?? null, resumedSeq: marks['hub.resumed_all'] ?? null })) {
    const [event] = await findEvents(deps.db, { type: 'hub.paused_all' }, 1);
    return pausedReason(await personName(deps.db, String(event?.data.by ?? 'an operator')), event?.data.reason as string | undefined);
  }
  if (agent?.status !== 'paused') return undefined;
  const [event] = await findEvents(deps.db, { type: 'agent.paused', agentId: agent.id }, 1);
  const by = typeof event?.data.by === 'string' ? await personName(deps.db, event.data.by) : (agent.pausedReason ?? 'an operator');
  return pausedReason(by, (event?.data.comment as string | undefined) ?? (agent.pausedReason ? `paused (${agent.pausedReason})` : undefined));
}

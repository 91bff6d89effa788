import type { EventEnvelope } from '../../contracts/index.ts';
import type { Risk } from '../../contracts/vocabulary.ts';
import type { Decision } from '../decisions/model.ts';
import { clip } from '../decisions/model.ts';
import type { AnswerLink, Notice, NoticeKind } from './model.ts';
import { eventRisk } from './rules.ts';

/** How long a notice's text may be: a channel shows the start and links to the rest. */
const textChars = 3000;

/** Why an event reaches a person: by its type, and for a reminder whether it told someone new. */
export function noticeKind(event: Pick<EventEnvelope, 'type' | 'data'>): NoticeKind {
  switch (event.type) {
    case 'decision.requested':
      return 'ask';
    case 'decision.reminded':
      // A route's first step given a delay is the question itself, told late.
      if (event.data.step === 0) return 'ask';
      return event.data.escalation === true ? 'escalation' : 'reminder';
    case 'decision.resolved':
    case 'decision.expired':
    case 'decision.cancelled':
      return 'settled';
    default:
      return 'event';
  }
}

/** How a settled decision ended, in words: `approved by ann`, `expired: denied`, `cancelled by the agent`. */
export function settledAs(decision: Decision, by: string | undefined): string {
  if (decision.status === 'expired') return `expired unanswered; "${decision.outcome}" applied`;
  if (decision.status === 'cancelled') return `withdrawn by ${by ?? decision.resolvedBy}${decision.comment ? `: ${decision.comment}` : ''}`;
  const outcome = decision.outcome === 'approve' ? 'approved' : decision.outcome === 'deny' ? 'denied' : `answered "${decision.outcome}"`;
  return `${outcome} by ${by ?? decision.resolvedBy}${decision.comment ? `: ${decision.comment}` : ''}`;
}

export interface NoticeInput {
  person: string;
  event: EventEnvelope;
  /** The decision the event is about, as it stands now. */
  decision: Decision | undefined;
  /** The asking agent's name, or undefined when no agent asked. */
  agentName: string | undefined;
  /** Who settled it, as a person reads it (`ann`), for a settled notice. */
  settledBy: string | undefined;
  /** The dashboard's address (no trailing slash), when known. */
  publicUrl: string | undefined;
  /** The links for the person's answers (made only while the decision waits). */
  answers: AnswerLink[];
}

/** What one person is told about one event: the same for every channel, which only lay it out. */
export function noticeOf(input: NoticeInput): Notice {
  const { event, decision } = input;
  const kind = noticeKind(event);
  const page = input.publicUrl === undefined ? undefined : `${input.publicUrl}/#/${decision ? `inbox/${encodeURIComponent(decision.id)}` : 'feed'}`;
  const base = { kind, person: input.person, event, page, decisionId: decision?.id };
  if (decision === undefined) {
    const who = input.agentName ?? event.agentId ?? event.actor;
    return { ...base, title: clip(`${event.type}: ${who}`, 200), text: clip(JSON.stringify(event.data, null, 2), textChars), risk: eventRisk(event.type), deadline: undefined, answers: [] };
  }
  const risk = decision.risk as Risk;
  const asker = input.agentName !== undefined ? `Asked by ${input.agentName} in ${decision.projectId}.` : `Asked in ${decision.projectId}.`;
  const needs = risk === 'red' ? ' Red: two different people must approve; the asker may not.' : '';
  const approvals = decision.approvals.length > 0 && decision.status === 'pending' ? ` Approved so far by ${decision.approvals.map((a) => a.person ?? a.by).join(', ')}.` : '';
  switch (kind) {
    case 'settled':
      return { ...base, title: clip(`Settled: ${decision.title}`, 200), text: `${decision.title}\n\n${settledAs(decision, input.settledBy)}.`, risk, deadline: undefined, answers: [] };
    default: {
      const prefix = kind === 'reminder' ? 'Still waiting: ' : kind === 'escalation' ? 'Escalated: ' : '';
      const context = clip(decision.context, textChars - 300);
      return {
        ...base,
        title: clip(`${prefix}${decision.title}`, 200),
        text: `${context}${context === '' ? '' : '\n\n'}${asker}${needs}${approvals}`,
        risk,
        deadline: decision.status === 'pending' ? decision.expiresAt : undefined,
        answers: decision.status === 'pending' ? input.answers : [],
      };
    }
  }
}

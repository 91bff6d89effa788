import type { EventEnvelope } from '../../contracts/index.ts';
import type { Risk } from '../../contracts/vocabulary.ts';

/** The ways a person can be reached: each is a contact point of theirs, and a channel a route names. */
export const channels = ['email', 'slack', 'ntfy', 'webhook'] as const;
export type Channel = (typeof channels)[number];

/** Why a notice is sent: a new question, the same again, the next people told, a settled question, or another routed event. */
export type NoticeKind = 'ask' | 'reminder' | 'escalation' | 'settled' | 'event';

/** A one-tap answer: the outcome it gives, and the signed link that opens its confirmation page. */
export interface AnswerLink {
  outcome: string;
  url: string;
}

/**
 * What one person is told about one event, ready for any channel to render: the channels differ
 * only in how they lay this out.
 */
export interface Notice {
  kind: NoticeKind;
  /** Who it is for: a person of the config's `people`. */
  person: string;
  /** One line: the question, or what happened. */
  title: string;
  /** The body as plain text: the question's context, or the event in a few lines; already cut to a sensible length. */
  text: string;
  /** The decision's risk; for another event, how loud it should be (`agent.failed` is high). */
  risk: Risk;
  /** The decision's deadline (ISO), when there is one still to come. */
  deadline: string | undefined;
  /** The decision it is about, if any. */
  decisionId: string | undefined;
  /** The dashboard, opened where this notice is about (the hub's public URL), when the hub knows it. */
  page: string | undefined;
  /** One link per answer the person may give from here (none for settled questions and other events). */
  answers: AnswerLink[];
  /** The event that caused it, whole: the generic webhook channel sends it. */
  event: EventEnvelope;
}

export type { Attempt } from '../subscriptions/model.ts';

import type { Kysely } from 'kysely';
import type { EventEnvelope } from '../../contracts/index.ts';
import { personName } from '../auth/tokens.ts';
import type { Clock } from '../clock.ts';
import type { HubConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import type { Decision } from '../decisions/model.ts';
import { loadDecision } from '../decisions/store.ts';
import type { Attempt, ClaimedDelivery, LoggedEvent, WebhookTarget } from '../subscriptions/model.ts';
import { syncContactPoints } from '../subscriptions/store.ts';
import { Mailer } from './channels/email.ts';
import { sendNtfy } from './channels/ntfy.ts';
import { sendSlack } from './channels/slack.ts';
import { sendWebhook, webhookBody } from './channels/webhook.ts';
import { signClaim } from './links.ts';
import type { AnswerLink, Notice } from './model.ts';
import { noticeOf } from './notice.ts';
import { afterMs, contactPoints, noticeTypes, receiversOf, routeFor } from './rules.ts';
import { eventsByIds, linkKeyReader, routedAgents, toldAbout } from './store.ts';
import { routeSubject } from './subject.ts';

/** The secrets notifications need, from the environment: never in the config file, never logged. */
export interface NotifySecrets {
  /** `MC_NOTIFY_WEBHOOK_SECRET`: signs what people's `webhook` contact points receive. */
  webhook?: string;
  /** `MC_SMTP_PASSWORD`: the mail server's password for `notifications.smtp.user`. */
  smtpPassword?: string;
}

export interface CourierOptions {
  db: Kysely<Database>;
  config: Pick<HubConfig, 'people' | 'notifications'>;
  clock: Clock;
  secrets: NotifySecrets;
}

/**
 * Takes events to people: which of the log's events each contact point is sent (by the routes),
 * and what it is sent, on its channel, with its one-tap links. The outbox around it enqueues,
 * leases, retries and records, as it does for the admins' webhooks.
 */
export class Courier {
  private readonly options: CourierOptions;
  private readonly mailer: Mailer | undefined;
  private publicUrl: string | undefined;
  private readonly linkKey: () => Promise<Buffer>;

  constructor(options: CourierOptions) {
    this.options = options;
    this.linkKey = linkKeyReader(options.db);
    const { smtp, timeoutMs } = options.config.notifications;
    const mails = Object.values(options.config.people).some((person) => person.email !== undefined);
    this.mailer = mails ? new Mailer({ ...smtp, port: smtp.port ?? (smtp.secure === true ? 465 : 587), secure: smtp.secure ?? false, password: options.secrets.smtpPassword, timeoutMs }) : undefined;
  }

  /** Puts the config's contact points in the outbox; `hubUrl` is where links lead when no public URL is configured. */
  async start(hubUrl: string): Promise<void> {
    const { config, db, secrets } = this.options;
    this.publicUrl = (config.notifications.publicUrl || hubUrl).replace(/\/+$/, '');
    await syncContactPoints(db, contactPoints(config.people), noticeTypes(config.notifications.routes), secrets.webhook ?? '');
  }

  async close(): Promise<void> {
    this.mailer?.close();
  }

  /** The events among `events` that go to `target`, a person's contact point, by the routes. */
  async select(db: Kysely<Database>, target: Pick<WebhookTarget, 'id' | 'person' | 'channel'>, events: readonly LoggedEvent[]): Promise<LoggedEvent[]> {
    const envelopes = await eventsByIds(db, events.map((e) => e.id));
    const chosen: LoggedEvent[] = [];
    for (const event of events) {
      const envelope = envelopes.get(event.id);
      if (envelope !== undefined && (await this.reaches(db, target, envelope))) chosen.push(event);
    }
    return chosen;
  }

  private async reaches(db: Kysely<Database>, target: Pick<WebhookTarget, 'id' | 'person' | 'channel'>, event: EventEnvelope): Promise<boolean> {
    const { config } = this.options;
    const me = (receivers: Array<{ person: string; channel: string }>) => receivers.some((r) => r.person === target.person && r.channel === target.channel);
    const decision = event.decisionId === undefined ? undefined : await loadDecision(db, event.decisionId);
    if (event.type === 'decision.reminded') {
      const { people, channels } = event.data as { people: string[]; channels: string[] };
      return decision?.status === 'pending' && people.includes(target.person!) && channels.includes(target.channel);
    }
    const subject = await routeSubject(db, event, decision);
    if (decision !== undefined && event.type !== 'decision.requested') {
      // A settled question: a follow-up to whoever was told of it, where the route asks for one.
      const asked = routeFor(config.notifications.routes, { ...subject, type: 'decision.requested' });
      if (asked?.route.followUp === true && decision.status !== 'pending' && (await toldAbout(db, target.id, decision.id))) return true;
    }
    // A question already settled (by policy, at once) waits for no one: it is not sent.
    if (event.type === 'decision.requested' && decision?.status !== 'pending') return false;
    const routed = routeFor(config.notifications.routes, subject);
    const first = routed?.route.notify[0];
    return first !== undefined && afterMs(first.after) === 0 && me(receiversOf(first, config.people));
  }

  /** One attempt at a delivery to a person's contact point. */
  async send(target: WebhookTarget, delivery: ClaimedDelivery, signal: AbortSignal): Promise<Attempt> {
    const notice = await this.noticeFor(target.person!, delivery);
    if (notice === undefined) return { status: null, error: `event ${delivery.eventId} is not in the log`, durationMs: 0 };
    const { timeoutMs } = this.options.config.notifications;
    switch (target.channel) {
      case 'email':
        if (this.mailer === undefined) return { status: null, error: 'no mail server: set notifications.smtp', durationMs: 0 };
        return this.mailer.send(target.url.replace(/^mailto:/, ''), notice, signal);
      case 'slack':
        return sendSlack(target.url, notice, timeoutMs, signal);
      case 'ntfy':
        return sendNtfy(target.url, notice, timeoutMs, signal);
      case 'webhook':
        return sendWebhook(target.url, target.secret, delivery.id, webhookBody(notice), this.options.clock.now(), timeoutMs, signal);
    }
  }

  private async noticeFor(person: string, delivery: ClaimedDelivery): Promise<Notice | undefined> {
    const { db } = this.options;
    const event = (await eventsByIds(db, [delivery.eventId])).get(delivery.eventId);
    if (event === undefined) return undefined;
    const decision = event.decisionId === undefined ? undefined : await loadDecision(db, event.decisionId);
    const agentId = decision?.agentId ?? event.agentId;
    const agentName = agentId == null ? undefined : ((await routedAgents(db, [agentId])).get(agentId)?.name ?? agentId);
    const settledBy = decision?.resolvedBy ? await personName(db, decision.resolvedBy) : undefined;
    const answers = decision?.status === 'pending' ? await this.answerLinks(person, decision, delivery.id) : [];
    return noticeOf({ person, event, decision, agentName, settledBy, publicUrl: this.publicUrl, answers });
  }

  /** One signed link per answer the asker offers (a healer's escalation: retry, abandon); approve and deny for a red decision, the only answers it takes. */
  private async answerLinks(person: string, decision: Decision, deliveryId: string): Promise<AnswerLink[]> {
    const key = await this.linkKey();
    const outcomes = decision.risk === 'red' ? ['approve', 'deny'] : decision.options;
    const expiresAt = Math.floor(Date.parse(decision.expiresAt) / 1000);
    return outcomes.map((outcome) => ({
      outcome,
      url: `${this.publicUrl}/answer/${signClaim(key, { decisionId: decision.id, person, outcome, nonce: `${deliveryId}.${outcomes.indexOf(outcome)}`, expiresAt })}`,
    }));
  }
}

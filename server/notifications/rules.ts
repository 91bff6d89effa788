import type { Risk } from '../../contracts/vocabulary.ts';
import type { HubConfig } from '../config.ts';
import { HubError } from '../errors.ts';
import { webhookKey } from '../webhooks/signature.ts';
import { type Channel, channels } from './model.ts';

export type Route = HubConfig['notifications']['routes'][number];
export type RouteStep = Route['notify'][number];
export type Person = HubConfig['people'][string];

/** What a route is matched against: an event, and the decision and agent it is about. */
export interface RouteSubject {
  type: string;
  risk: Risk;
  projectId: string | undefined;
  /** The agent's id and name (a route may name either). */
  agent: { id: string; name: string | null; template: string | null } | undefined;
}

/** A route without `types` is about questions waiting for a person. */
export const defaultRouteTypes = ['decision.requested'] as const;

/** The decision events that reach people besides the routed ones: reminders, and settled questions (follow-ups). */
const decisionNoticeTypes = ['decision.requested', 'decision.reminded', 'decision.resolved', 'decision.expired', 'decision.cancelled'];

/** Every event type any contact point may be sent: what the outbox reads from the log for them. */
export function noticeTypes(routes: readonly Route[]): string[] {
  return [...new Set([...decisionNoticeTypes, ...routes.flatMap((route) => route.match?.types ?? [])])];
}

/** The name, or 400 naming the people the config file has. */
export function knownPerson(config: Pick<HubConfig, 'people'>, name: string, at = '/person'): string {
  const known = Object.keys(config.people);
  if (known.includes(name)) return name;
  const listed = known.length > 0 ? `the config file's people are: ${known.join(', ')}` : 'the config file lists no people (add them under people)';
  throw new HubError('validation_failed', `no person "${name}"; ${listed}`, [{ path: at, message: known.length > 0 ? `must be one of: ${known.join(', ')}` : 'names no person' }]);
}

/** How long a step waits after the question (`90s`, `10m`, `2h`), in ms; unset is at once. */
export function afterMs(after: string | undefined): number {
  if (after === undefined) return 0;
  const match = /^(\d+)(s|m|h)$/.exec(after);
  if (match === null) throw new Error(`"${after}" is not a duration such as 90s, 10m or 2h`);
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
}

function routeLabel(route: Route, i: number): string {
  return `notifications.routes[${i}]${route.name !== undefined ? ` (${route.name})` : ''}`;
}

/**
 * Why the config's people and routes cannot run, or undefined when they can: a route naming a
 * person `people` does not have, a type no event has, steps out of order, or a channel no one on
 * its step can be reached on. Checked at start: a notification that could never be sent is found
 * then, not when a question waits at 3 a.m.
 */
export function notificationsProblem(config: Pick<HubConfig, 'people' | 'notifications'>, catalog: readonly string[], webhookSecret: string | undefined): string | undefined {
  const people = Object.keys(config.people);
  if (webhookSecret !== undefined) {
    try {
      webhookKey(webhookSecret);
    } catch (error) {
      return `MC_NOTIFY_WEBHOOK_SECRET: ${(error as Error).message}`;
    }
  }
  for (const [name, person] of Object.entries(config.people)) {
    if (person.webhook !== undefined && webhookSecret === undefined) {
      return `people.${name}.webhook needs MC_NOTIFY_WEBHOOK_SECRET (whsec_<base64>) to sign what it is sent`;
    }
  }
  for (const [i, route] of config.notifications.routes.entries()) {
    const label = routeLabel(route, i);
    for (const type of route.match?.types ?? []) {
      const known = type.endsWith('.*') ? catalog.some((t) => t.startsWith(type.slice(0, -1))) : catalog.includes(type);
      if (!known) return `${label}: match.types names "${type}", which is no event type of the catalog`;
    }
    let previous = -1;
    for (const [s, step] of route.notify.entries()) {
      const wait = afterMs(step.after);
      if (wait < previous) return `${label}: notify[${s}] comes after ${step.after ?? 'nothing'}, sooner than the step before it; list the steps in the order they come due`;
      previous = wait;
      for (const person of step.people) {
        if (!people.includes(person)) return `${label}: notify[${s}] names "${person}", who is not in people (${people.length > 0 ? `people: ${people.join(', ')}` : 'the config file lists no people'})`;
      }
      if (receiversOf(step, config.people).length === 0) {
        return `${label}: notify[${s}] can reach no one: none of ${step.people.join(', ')} has a contact point for ${step.channels.join(' or ')}`;
      }
    }
  }
  return undefined;
}

/** How loud an event other than a decision is: failures and escalations are high, the rest medium. */
export function eventRisk(type: string): Risk {
  return type === 'agent.failed' || type === 'heal.escalated' || type === 'budget.exceeded' || type === 'hub.loop_detected' ? 'high' : 'medium';
}

function typeMatches(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))));
}

/** The first route whose match holds for `subject`, with its index; undefined when none does (no one is told). */
export function routeFor(routes: readonly Route[], subject: RouteSubject): { route: Route; index: number } | undefined {
  for (const [index, route] of routes.entries()) {
    const match = route.match ?? {};
    if (!typeMatches(match.types ?? defaultRouteTypes, subject.type)) continue;
    if (match.risk !== undefined && !match.risk.includes(subject.risk)) continue;
    if (match.project !== undefined && match.project !== subject.projectId) continue;
    if (match.agent !== undefined && match.agent !== subject.agent?.id && match.agent !== subject.agent?.name) continue;
    if (match.template !== undefined && match.template !== subject.agent?.template) continue;
    return { route, index };
  }
  return undefined;
}

/** The contact points a step reaches: each of its people on each of its channels they have. */
export function receiversOf(step: Pick<RouteStep, 'people' | 'channels'>, people: HubConfig['people']): Array<{ person: string; channel: Channel }> {
  return step.people.flatMap((person) => step.channels.filter((channel) => people[person]?.[channel] !== undefined).map((channel) => ({ person, channel })));
}

/** True when a later step tells someone no earlier step of its route told: an escalation, not a reminder (a first step, however late, is the question itself). */
export function escalates(route: Route, step: number): boolean {
  if (step === 0) return false;
  const earlier = new Set(route.notify.slice(0, step).flatMap((s) => s.people));
  return route.notify[step]!.people.some((person) => !earlier.has(person));
}

/** The steps of a route sent by a `decision.reminded` event: every step but a first one due at once. */
export function remindedSteps(route: Route): number[] {
  return route.notify.flatMap((step, i) => (i === 0 && afterMs(step.after) === 0 ? [] : [i]));
}

/** Every contact point of the config's people, as the outbox stores it: its receiver id, and its address as a URL (`mailto:` for email). */
export function contactPoints(people: HubConfig['people']): Array<{ id: string; url: string; person: string; channel: Channel }> {
  return Object.entries(people).flatMap(([person, contact]) =>
    channels.flatMap((channel) => {
      const address = contact[channel];
      if (address === undefined) return [];
      return [{ id: `cp_${person}.${channel}`, url: channel === 'email' ? `mailto:${address}` : address, person, channel }];
    }),
  );
}

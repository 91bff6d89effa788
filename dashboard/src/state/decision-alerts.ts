import { nameOf } from './actor-names.ts';
import type { DashboardState } from './dashboard-state.ts';
import { routeHash } from './route.ts';
import type { DecisionView, Risk } from './types.ts';

// What tells a person, away from the inbox, that decisions wait: the count (nav badge, tab title,
// favicon) and a desktop notification for each new one at or above the chosen risk.

export const appTitle = 'Mission Control';

/** Least to most urgent; the threshold select offers them in this order. */
export const riskOrder: readonly Risk[] = ['low', 'medium', 'high', 'red'];

export interface AlertSettings {
  /** The operator asked for desktop notifications (the browser's permission is asked for separately). */
  notify: boolean;
  /** The least risk announced. */
  minRisk: Risk;
  /** A short beep with each announcement. */
  sound: boolean;
}

export const defaultAlertSettings: AlertSettings = { notify: false, minRisk: 'high', sound: false };

/** Settings as stored (JSON in localStorage); anything missing, unknown or unreadable is the default. */
export function parseAlertSettings(stored: string | null): AlertSettings {
  let raw: Partial<Record<keyof AlertSettings, unknown>> = {};
  try {
    const parsed: unknown = stored === null ? {} : JSON.parse(stored);
    if (parsed !== null && typeof parsed === 'object') raw = parsed;
  } catch {
    // A hand-edited or older value: start again from the defaults.
  }
  return {
    notify: typeof raw.notify === 'boolean' ? raw.notify : defaultAlertSettings.notify,
    minRisk: riskOrder.includes(raw.minRisk as Risk) ? (raw.minRisk as Risk) : defaultAlertSettings.minRisk,
    sound: typeof raw.sound === 'boolean' ? raw.sound : defaultAlertSettings.sound,
  };
}

export function pendingCount(decisions: ReadonlyMap<string, DecisionView>): number {
  let count = 0;
  for (const decision of decisions.values()) if (decision.status === 'pending') count++;
  return count;
}

/** The tab's title: `(3) Mission Control`, plain at 0. */
export function tabTitle(count: number): string {
  return count > 0 ? `(${countLabel(count)}) ${appTitle}` : appTitle;
}

/** The count as a badge shows it: a favicon has room for two digits. */
export function countLabel(count: number): string {
  return count > 99 ? '99+' : String(count);
}

export function atOrAbove(risk: Risk, least: Risk): boolean {
  return riskOrder.indexOf(risk) >= riskOrder.indexOf(least);
}

/**
 * Which pending decisions the dashboard has already seen. A load (the first, or after a project
 * switch) only primes it: what is pending then was not asked while the operator watched.
 */
export interface DecisionWatch {
  primed: boolean;
  seen: ReadonlySet<string>;
}

export const unprimedWatch: DecisionWatch = { primed: false, seen: new Set() };

/** The pending decisions new since the last look, each once in the watch's life; none while loading or on the load itself. */
export function newArrivals(watch: DecisionWatch, state: Pick<DashboardState, 'loaded' | 'decisions'>): { watch: DecisionWatch; arrived: DecisionView[] } {
  if (!state.loaded) return { watch: watch.primed ? { ...watch, primed: false } : watch, arrived: [] };
  const unseen = [...state.decisions.values()].filter((d) => d.status === 'pending' && !watch.seen.has(d.id));
  if (watch.primed && unseen.length === 0) return { watch, arrived: [] };
  const seen = new Set(watch.seen);
  for (const decision of unseen) seen.add(decision.id);
  return { watch: { primed: true, seen }, arrived: watch.primed ? unseen : [] };
}

export interface Announcement {
  title: string;
  body: string;
  /** Two tabs announcing one decision show one notification. */
  tag: string;
  /** Where a click on it leads. */
  route: string;
}

/** The arrivals worth interrupting for, by the settings' threshold, as their notifications read. */
export function announcements(arrived: readonly DecisionView[], settings: AlertSettings, names: Parameters<typeof nameOf>[0]): Announcement[] {
  return arrived
    .filter((d) => atOrAbove(d.risk, settings.minRisk))
    .map((d) => ({ title: d.title, body: `${d.risk} risk · asked by ${nameOf(names, d.requestedBy)}`, tag: d.id, route: routeHash({ view: 'inbox', id: d.id }) }));
}

import type { Webhook, WebhookDelivery } from '../../../contracts/api-views.ts';
import type { HubClient } from '../../../server/client/hub-client.ts';
import type { PersonView } from '../../../server/client/resources/people.ts';
import type { PolicyRuleView } from '../../../server/client/resources/policies.ts';
import type { RunnerView, TokenReceipt, TokenRequest, TokenView } from '../../../server/client/views.ts';
import { problemText } from './problem.ts';
import { Store } from './store.ts';
import type { EventEnvelope } from './types.ts';

/** The admin view's sections, each its own route (`#/admin/<section>`), the first the default. */
export const adminSections = ['tokens', 'people', 'webhooks', 'runners', 'policies'] as const;
export type AdminSection = (typeof adminSections)[number];
export const adminSectionLabels: Readonly<Record<AdminSection, string>> = { tokens: 'Tokens', people: 'People', webhooks: 'Webhooks', runners: 'Runners', policies: 'Policies' };

/** The section a route's id names; tokens for anything else. */
export function adminSection(id: string | undefined): AdminSection {
  return (adminSections as readonly string[]).includes(id ?? '') ? (id as AdminSection) : 'tokens';
}

/** The calls the admin view makes, as the one client shapes them (admin-only endpoints, and the log for verdicts). */
export interface AdminHub {
  tokens: Pick<HubClient['tokens'], 'list' | 'create' | 'revoke'>;
  people: Pick<HubClient['people'], 'list'>;
  webhooks: Pick<HubClient['webhooks'], 'list' | 'deliveries'>;
  runners: Pick<HubClient['runners'], 'list'>;
  policies: Pick<HubClient['policies'], 'list'>;
  events: Pick<HubClient['events'], 'page'>;
}

/** Which rule judged one tool call: from its `tool.requested` event. */
export interface FiredRule {
  seq: number;
  at: string;
  agentId: string | undefined;
  tool: string;
  rule: string;
  verdict: string;
  source: string;
  /** The decision the call waited on, when the verdict opened one. */
  decisionId: string | undefined;
}

/** The rule a `tool.requested` event records, or undefined for another event. */
export function firedRule(event: EventEnvelope): FiredRule | undefined {
  const policy = event.data.policy as { rule?: unknown; verdict?: unknown; source?: unknown } | undefined;
  if (event.type !== 'tool.requested' || typeof policy?.rule !== 'string') return undefined;
  const decisionId = event.decisionId ?? (typeof event.data.decisionId === 'string' ? event.data.decisionId : undefined);
  return { seq: event.seq, at: event.recordedAt, agentId: event.agentId, tool: String(event.data.tool), rule: policy.rule, verdict: String(policy.verdict), source: String(policy.source), decisionId };
}

/** How often each rule fired among `fired`. */
export function firedCounts(fired: readonly FiredRule[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of fired) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  return counts;
}

/**
 * The rules that fired but are not listed, as rows beside the listed ones: `unmatched` (no rule
 * matched), `paused`, or a rule since taken out of the config file; each once, as it last fired.
 */
export function unlistedRules(rules: readonly PolicyRuleView[], fired: readonly FiredRule[]): PolicyRuleView[] {
  const listed = new Set(rules.map((r) => r.name));
  const seen = new Map<string, PolicyRuleView>();
  for (const f of fired) {
    if (listed.has(f.rule) || seen.has(f.rule)) continue;
    seen.set(f.rule, { name: f.rule, source: f.source as PolicyRuleView['source'], verdict: f.verdict as PolicyRuleView['verdict'], match: {}, message: f.rule === 'unmatched' ? 'no rule matched' : null });
  }
  return [...seen.values()];
}

/** A delivery as a person reads it: delivered is ok. */
export function deliveryState(delivery: WebhookDelivery): 'ok' | 'failed' | 'pending' {
  return delivery.status === 'delivered' ? 'ok' : delivery.status;
}

/** How sending to a receiver (a webhook, a contact point) stands: ok, failing, or paused and why. */
export function receiverState(receiver: Pick<Webhook, 'pausedAt' | 'pausedReason' | 'consecutiveFailures'>): string {
  if (receiver.pausedAt !== null) return `paused: ${receiver.pausedReason ?? 'no reason given'}`;
  return receiver.consecutiveFailures === 0 ? 'ok' : `failing (${receiver.consecutiveFailures} in a row)`;
}

/** Tool calls read per page of verdicts; deliveries shown per webhook. */
export const verdictPageSize = 200;
export const deliveriesShown = 10;

export interface AdminState {
  section: AdminSection;
  loading: boolean;
  error: string | undefined;
  tokens: TokenView[];
  people: PersonView[];
  webhooks: Array<{ webhook: Webhook; deliveries: WebhookDelivery[] }>;
  runners: RunnerView[];
  rules: PolicyRuleView[];
  /** The recent tool calls' verdicts, newest first, and where the next older page starts (undefined at the start of the log). */
  fired: FiredRule[];
  next: number | undefined;
}

const empty: AdminState = { section: 'tokens', loading: false, error: undefined, tokens: [], people: [], webhooks: [], runners: [], rules: [], fired: [], next: undefined };

/** The admin view: one section read at a time (a later choice wins over a slower read), and the token commands. */
export class AdminView {
  readonly state = new Store<AdminState>(empty);
  readonly #hub: AdminHub;
  #generation = 0;

  constructor(hub: AdminHub) {
    this.#hub = hub;
  }

  async load(section: AdminSection = this.state.value.section): Promise<void> {
    const generation = ++this.#generation;
    this.state.update((s) => ({ ...s, section, loading: true, error: undefined }));
    try {
      const read = await this.#read(section);
      if (generation === this.#generation) this.state.update((s) => ({ ...s, ...read, loading: false }));
    } catch (error) {
      if (generation === this.#generation) this.state.update((s) => ({ ...s, loading: false, error: problemText(error) }));
    }
  }

  async #read(section: AdminSection): Promise<Partial<AdminState>> {
    switch (section) {
      case 'tokens':
        return { tokens: await this.#hub.tokens.list() };
      case 'people':
        return { people: await this.#hub.people.list() };
      case 'webhooks': {
        const webhooks = await this.#hub.webhooks.list();
        return { webhooks: await Promise.all(webhooks.map(async (webhook) => ({ webhook, deliveries: await this.#hub.webhooks.deliveries(webhook.id, { limit: deliveriesShown }) }))) };
      }
      case 'runners':
        return { runners: await this.#hub.runners.list() };
      case 'policies': {
        const [rules, page] = await Promise.all([this.#hub.policies.list(), this.#verdicts(undefined)]);
        return { rules, ...page };
      }
    }
  }

  async #verdicts(before: number | undefined): Promise<Pick<AdminState, 'fired' | 'next'>> {
    const page = await this.#hub.events.page({ types: 'tool.requested', order: 'desc', limit: verdictPageSize, ...(before !== undefined ? { before } : {}) });
    const fired = page.events.flatMap((e) => firedRule(e) ?? []);
    return { fired, next: page.events.length === 0 || page.next <= 1 ? undefined : page.next };
  }

  /** Reads the next older page of verdicts, so the counts cover a longer window. */
  async older(): Promise<void> {
    const { next, loading } = this.state.value;
    if (next === undefined || loading) return;
    this.state.update((s) => ({ ...s, loading: true, error: undefined }));
    try {
      const page = await this.#verdicts(next);
      this.state.update((s) => ({ ...s, fired: [...s.fired, ...page.fired], next: page.next, loading: false }));
    } catch (error) {
      this.state.update((s) => ({ ...s, loading: false, error: problemText(error) }));
    }
  }

  /** Mints a token and reads the list again; the answer holds the secret, which is kept nowhere else. */
  async mint(request: TokenRequest): Promise<TokenReceipt> {
    const receipt = await this.#hub.tokens.create(request);
    // A failed re-read must not lose the secret: it shows as the view's error instead.
    void this.load('tokens');
    return receipt;
  }

  /** Revokes a token; the list shows it revoked. */
  async revoke(id: string): Promise<void> {
    const revoked = await this.#hub.tokens.revoke(id);
    this.state.update((s) => ({ ...s, tokens: s.tokens.map((t) => (t.id === id ? revoked : t)) }));
  }
}

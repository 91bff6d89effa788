import type { Overview, OverviewAgent, OverviewFailure, OverviewHeal, OverviewSpend } from '../../contracts/views.ts';

// Pure: what the overview's reads become in the answer of `GET /overview`.

export type { Overview };

/** Pending decisions of one risk, and when the oldest of them was asked. */
export interface RiskCount {
  risk: string;
  count: number;
  oldest: Date | null;
}

/** Agents in one status. */
export interface StatusCount {
  status: string;
  count: number;
}

/** An agent that needs a look, as read: the event that gave it its status, and the decision it waits on. */
export interface AttentionRow {
  id: string;
  name: string;
  status: string;
  /** When the event that set its status was recorded. */
  since: Date | null;
  /** A failure's error. */
  error: string | null;
  decision: { id: string; title: string; risk: string } | null;
}

/** The hub's spend on one UTC day, and that day's own limit (null: the configured default). */
export interface DaySpend {
  day: string;
  usd: number;
  limitUsd: number | null;
}

export type FailureRow = Omit<OverviewFailure, 'recordedAt'> & { recordedAt: Date };

export interface HealRow {
  seq: number;
  id: string;
  type: string;
  agentId: string | null;
  agentName: string | null;
  data: Record<string, unknown>;
  recordedAt: Date;
}

const risks = ['low', 'medium', 'high', 'red'] as const;

/** The pending decisions by risk (every risk present, 0 when none waits), their total and the oldest's time. */
export function decisionsPart(rows: readonly RiskCount[]): Overview['decisions'] {
  const byRisk = Object.fromEntries(risks.map((risk) => [risk, rows.find((r) => r.risk === risk)?.count ?? 0])) as Overview['decisions']['byRisk'];
  const oldest = rows.map((r) => r.oldest).filter((d) => d !== null).sort((a, b) => a.getTime() - b.getTime())[0];
  return { pending: rows.reduce((n, r) => n + r.count, 0), byRisk, oldestPendingAt: oldest?.toISOString() ?? null };
}

/** The fleet's counts by status, with the failures of the last hour and the agents to look at. */
export function agentsPart(rows: readonly StatusCount[], failedLastHour: number, attention: readonly AttentionRow[], staleAfterMs: number): Overview['agents'] {
  const count = (status: string) => rows.find((r) => r.status === status)?.count ?? 0;
  return {
    total: rows.reduce((n, r) => n + r.count, 0),
    running: count('running'),
    waiting: count('awaiting_decision'),
    paused: count('paused'),
    stale: count('stale'),
    lost: count('lost'),
    failedLastHour,
    attention: attention.map((row) => attentionOf(row, staleAfterMs)),
  };
}

/** One agent to look at, with why in a person's words. */
export function attentionOf(row: AttentionRow, staleAfterMs: number): OverviewAgent {
  const status = row.status as OverviewAgent['status'];
  return { id: row.id, name: row.name, status, reason: reasonOf(row, staleAfterMs), since: row.since?.toISOString() ?? null, decisionId: row.decision?.id ?? null };
}

function reasonOf(row: AttentionRow, staleAfterMs: number): string {
  switch (row.status) {
    case 'failed':
      return row.error || 'failed';
    case 'awaiting_decision':
      return row.decision ? `waits on "${row.decision.title}" (${row.decision.risk})` : 'waits on a decision';
    case 'lost':
      return 'its runner went offline while it ran';
    default:
      return `no heartbeat or event for over ${seconds(staleAfterMs)}`;
  }
}

function seconds(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}

/** Today's spend (the last day) against its limit, and each day's spend. */
export function spendPart(days: readonly DaySpend[], defaultDailyUsd: number): OverviewSpend {
  const today = days.at(-1);
  return { todayUsd: today?.usd ?? 0, dailyLimitUsd: today?.limitUsd ?? defaultDailyUsd, lastDays: days.map(({ day, usd }) => ({ day, usd })) };
}

/** A failure event as the overview lists it. */
export function failureOf(row: FailureRow): OverviewFailure {
  return { ...row, recordedAt: row.recordedAt.toISOString() };
}

/** A heal event as the overview lists it: what it did, or why it gave up. */
export function healOf(row: HealRow): OverviewHeal {
  const text = (key: string) => (typeof row.data[key] === 'string' ? (row.data[key] as string) : null);
  return {
    seq: row.seq,
    id: row.id,
    type: row.type as OverviewHeal['type'],
    agentId: row.agentId,
    agentName: row.agentName,
    failureEventId: text('failureEventId') ?? '',
    playbook: text('playbook'),
    action: text('action'),
    reason: text('reason'),
    decisionId: text('decisionId'),
    recordedAt: row.recordedAt.toISOString(),
  };
}

import type { TaskCreateRequest } from '../../../contracts/requests.ts';
import type { EventEnvelope, TaskStatus, TaskView } from './types.ts';

/** One move of a task on the board, as its `task.transitioned` event records it. */
export interface TaskMove {
  at: string;
  by: string;
  from: TaskStatus;
  to: TaskStatus;
  reason: string | undefined;
}

/** A decision asked about a task, with how it ended as far as the task's events tell. */
export interface TaskDecision {
  id: string;
  title: string;
  risk: string;
  askedBy: string;
  askedAt: string;
  status: 'pending' | 'resolved' | 'expired' | 'cancelled';
  outcome: string | undefined;
  by: string | undefined;
}

/** An agent failure among a task's events, with its error. */
export interface TaskFailure {
  at: string;
  agentId: string | undefined;
  error: string;
}

/** The task's events oldest first, whatever order they were read in. */
export function oldestFirst(events: readonly EventEnvelope[]): EventEnvelope[] {
  return [...events].sort((a, b) => a.seq - b.seq);
}

/** Every move the task made, oldest first. */
export function taskMoves(events: readonly EventEnvelope[]): TaskMove[] {
  return oldestFirst(events)
    .filter((e) => e.type === 'task.transitioned')
    .map((e) => ({ at: e.recordedAt, by: e.actor, from: e.data.from as TaskStatus, to: e.data.to as TaskStatus, reason: typeof e.data.reason === 'string' ? e.data.reason : undefined }));
}

/** The decisions asked about the task, oldest first, each with its last answer, expiry or cancellation. */
export function taskDecisions(events: readonly EventEnvelope[]): TaskDecision[] {
  const found = new Map<string, TaskDecision>();
  for (const e of oldestFirst(events)) {
    const id = e.decisionId;
    if (id === undefined) continue;
    if (e.type === 'decision.requested') {
      found.set(id, { id, title: String(e.data.title ?? id), risk: String(e.data.risk ?? ''), askedBy: e.actor, askedAt: e.recordedAt, status: 'pending', outcome: undefined, by: undefined });
      continue;
    }
    const decision = found.get(id);
    if (!decision) continue;
    const by = typeof e.data.by === 'string' ? e.data.by : e.actor;
    if (e.type === 'decision.resolved') Object.assign(decision, { status: 'resolved', outcome: String(e.data.outcome), by });
    else if (e.type === 'decision.expired') Object.assign(decision, { status: 'expired', outcome: typeof e.data.outcome === 'string' ? e.data.outcome : undefined, by: 'hub' });
    else if (e.type === 'decision.cancelled') Object.assign(decision, { status: 'cancelled', outcome: undefined, by });
  }
  return [...found.values()];
}

/** The agents that worked on the task: its assignee first, then every agent its events name. */
export function taskAgentIds(task: Pick<TaskView, 'agentId'>, events: readonly EventEnvelope[]): string[] {
  const ids = new Set<string>();
  if (task.agentId) ids.add(task.agentId);
  for (const e of oldestFirst(events)) {
    if (e.agentId) ids.add(e.agentId);
    if (e.type === 'task.assigned' && typeof e.data.agentId === 'string') ids.add(e.data.agentId);
  }
  return [...ids];
}

/** The agent failures among the task's events, oldest first. */
export function taskFailures(events: readonly EventEnvelope[]): TaskFailure[] {
  return oldestFirst(events)
    .filter((e) => e.type === 'agent.failed')
    .map((e) => ({ at: e.recordedAt, agentId: e.agentId, error: String(e.data.error ?? 'failed') }));
}

/** The task's events, newest first, without duplicates: a loaded older page appended to what is shown. */
export function mergeTimeline(shown: readonly EventEnvelope[], more: readonly EventEnvelope[]): EventEnvelope[] {
  const bySeq = new Map<number, EventEnvelope>();
  for (const e of [...shown, ...more]) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq);
}

/** What the new-task form holds, as typed. */
export interface TaskForm {
  title: string;
  description: string;
  priority: string;
  labels: string;
}

/** The form as a `POST /tasks` body: trimmed, empty fields left out, labels split on commas without repeats. */
export function taskCreateRequest(form: TaskForm): TaskCreateRequest {
  const labels = [...new Set(form.labels.split(',').map((l) => l.trim()).filter((l) => l !== ''))];
  const description = form.description.trim();
  return {
    title: form.title.trim(),
    ...(description ? { description } : {}),
    ...(form.priority ? { priority: form.priority as NonNullable<TaskCreateRequest['priority']> } : {}),
    ...(labels.length > 0 ? { labels } : {}),
  };
}

import type { TraceContext } from '../../contracts/trace-context.ts';
import type { EventEnvelope } from '../client/views.ts';

/** A failure event as the healer's rules see it. */
export interface Failure {
  eventId: string;
  seq: number;
  type: string;
  agentId?: string;
  /** The event's task, or else the task the agent was spawned for. */
  taskId?: string;
  /** `data.error`, or empty when the event has none. */
  error: string;
  stderrTail: string[];
  /** The exit code, when the event carries one. */
  code?: number;
  /** The failed agent's template, when the hub spawned it. */
  template?: string;
  /** The W3C trace the failure was logged in: the healer acts, and reports, in a span of it. */
  trace?: TraceContext;
}

/** Reads a failure event (`agent.failed`, or a watched type) into the fields playbooks match on. */
export function failureOf(event: EventEnvelope, origin?: { template: string; taskId?: string }): Failure {
  const { error, stderrTail, code } = event.data;
  const taskId = event.taskId ?? origin?.taskId;
  return {
    eventId: event.id,
    seq: event.seq,
    type: event.type,
    ...(event.agentId ? { agentId: event.agentId } : {}),
    ...(taskId ? { taskId } : {}),
    error: typeof error === 'string' ? error : '',
    stderrTail: Array.isArray(stderrTail) ? stderrTail.filter((line): line is string => typeof line === 'string') : [],
    ...(typeof code === 'number' ? { code } : {}),
    ...(origin ? { template: origin.template } : {}),
    ...(event.traceId !== undefined && event.spanId !== undefined ? { trace: { traceId: event.traceId, spanId: event.spanId } } : {}),
  };
}

/** The text an `errorPattern` is tested against. */
export function failureText(failure: Failure): string {
  return [failure.error, ...failure.stderrTail].join('\n');
}

/** One line naming the failure, for reasons and logs: `agent.failed ev_1 of agent agt_1 (template fixer, exit 1): boom`. */
export function describeFailure(failure: Failure): string {
  const about = [failure.template ? `template ${failure.template}` : '', failure.code !== undefined ? `exit ${failure.code}` : '']
    .filter((part) => part !== '')
    .join(', ');
  const who = failure.agentId ? ` of agent ${failure.agentId}` : '';
  const firstLine = failure.error.split('\n')[0]!.slice(0, 300);
  return `${failure.type} ${failure.eventId}${who}${about ? ` (${about})` : ''}${firstLine ? `: ${firstLine}` : ''}`;
}

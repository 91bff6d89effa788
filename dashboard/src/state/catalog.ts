/**
 * The catalog's event types (`contracts/events/`). An `EventSource` hands a frame with an
 * `event:` name only to listeners of that name, so the live connection listens to each of these,
 * plus the custom `x.*` names it learns (a unit test keeps this list equal to the contracts).
 */
export const catalogTypes: readonly string[] = [
  'agent.assigned',
  'agent.exited',
  'agent.failed',
  'agent.lost',
  'agent.message_injected',
  'agent.output',
  'agent.paused',
  'agent.recovered',
  'agent.registered',
  'agent.resumed',
  'agent.spawn_requested',
  'agent.spawned',
  'agent.stale',
  'agent.stop_requested',
  'budget.exceeded',
  'budget.limit_changed',
  'budget.spend_corrected',
  'budget.warning',
  'decision.approved_once',
  'decision.cancelled',
  'decision.expired',
  'decision.requested',
  'decision.resolved',
  'heal.completed',
  'heal.escalated',
  'hub.loop_detected',
  'hub.paused_all',
  'hub.resumed_all',
  'run.completed',
  'run.started',
  'runner.offline',
  'runner.registered',
  'task.assigned',
  'task.created',
  'task.transitioned',
];

/** Custom types agents built on the SDK send, listened to from the start. */
export const commonCustomTypes: readonly string[] = ['x.progress'];

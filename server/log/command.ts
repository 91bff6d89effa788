import type { Transaction } from 'kysely';
import type { AppendReceipt, Origin } from '../../contracts/index.ts';
import type { Database } from '../db/schema.ts';
import type { NewEvent } from './event.ts';
import type { EventAppender } from './group-commit.ts';
import { newEvent } from './new-event.ts';

/** What a rule decided: an event without its author or cause, which the command adds. */
export interface Change {
  type: string;
  data: Record<string, unknown>;
  agentId?: string | null;
  taskId?: string | null;
  decisionId?: string | null;
  /** Set when the event must happen once per cause. */
  idempotencyKey?: string;
}

/** Who a command's events are by, what they are about unless a change names its own subject, and why. */
export interface CommandContext {
  actor: string;
  agentId?: string | null;
  taskId?: string | null;
  /** The event that caused these (stored or about to be): its id is their cause; its correlation and trace carry on. */
  cause?: { id: string; correlationId?: string | null; traceId?: string | null; spanId?: string | null };
  /** The request the command came from: its id correlates events no cause correlates; its trace is kept. */
  origin?: Origin;
}

/** A decided change as an event ready to append, stamped with the command's author, subjects and cause. */
export function eventOf(change: Change, context: CommandContext): NewEvent {
  const { cause } = context;
  return newEvent(
    {
      type: change.type,
      data: change.data,
      actor: context.actor,
      agentId: change.agentId ?? context.agentId ?? null,
      taskId: change.taskId ?? context.taskId ?? null,
      decisionId: change.decisionId ?? null,
      ...(change.idempotencyKey !== undefined ? { idempotencyKey: change.idempotencyKey } : {}),
      ...(cause !== undefined ? { causationId: cause.id, correlationId: cause.correlationId ?? null } : {}),
    },
    cause !== undefined ? { trace: cause.traceId != null && cause.spanId != null ? { traceId: cause.traceId, spanId: cause.spanId } : null } : context.origin,
  );
}

/**
 * The one way a feature runs a command: inside the append transaction, after the log lock, it
 * loads the view the command is judged against (so of two racing commands the second sees the
 * first), lets the pure `decide` turn it into changes (a HubError it throws refuses the command,
 * and `app.onError` gives it its status), and appends them as events of `context`.
 */
export function handleCommand<View>(
  appender: EventAppender,
  load: (trx: Transaction<Database>) => Promise<View>,
  decide: (view: View) => Change[],
  context: CommandContext | ((view: View) => CommandContext),
): Promise<AppendReceipt[]> {
  return appender.execute(async (trx) => {
    const view = await load(trx);
    const by = typeof context === 'function' ? context(view) : context;
    return decide(view).map((change) => eventOf(change, by));
  });
}

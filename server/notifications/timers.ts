import type { FeatureDeps, TimerJob } from '../feature.ts';
import { eventOf } from '../log/command.ts';
import type { NewEvent } from '../log/event.ts';
import { afterMs, escalates, remindedSteps, routeFor } from './rules.ts';
import { pendingForReminders, remindedSoFar, stillPending } from './store.ts';
import { routeSubject } from './subject.ts';

/** Pending decisions looked at per tick: the oldest first, which are the ones whose steps come due. */
const batch = 500;

/** The idempotency key of a route step's reminder: each step of each decision is reminded of once, whichever hub gets there. */
export function reminderKey(decisionId: string, step: number): string {
  return `decision-reminded:${decisionId}:${step}`;
}

/**
 * Appends a `decision.reminded` for each later step of a waiting decision's route that has come
 * due: the outbox then tells that step's people (again, or for the first time: an escalation).
 */
export function reminderTimer(deps: Pick<FeatureDeps, 'db' | 'appender' | 'config'>): TimerJob {
  const { routes } = deps.config.notifications;
  return {
    name: 'notifications.reminders',
    async run(now) {
      if (!routes.some((route) => remindedSteps(route).length > 0)) return;
      const pending = await pendingForReminders(deps.db, batch);
      const reminded = await remindedSoFar(deps.db, pending.map((d) => d.id));
      const events: NewEvent[] = [];
      for (const decision of pending) {
        const subject = await routeSubject(deps.db, { type: 'decision.requested', agentId: decision.agentId ?? undefined, data: {} }, decision);
        const routed = routeFor(routes, subject);
        if (routed === undefined) continue;
        const { route } = routed;
        for (const step of remindedSteps(route)) {
          const due = decision.createdAt.getTime() + afterMs(route.notify[step]!.after) <= now.getTime();
          if (!due || reminded.get(decision.id)?.has(step)) continue;
          const { people, channels, after } = route.notify[step]!;
          events.push(
            eventOf(
              {
                type: 'decision.reminded',
                decisionId: decision.id,
                idempotencyKey: reminderKey(decision.id, step),
                data: { ...(route.name !== undefined ? { route: route.name } : {}), step, ...(after !== undefined ? { after } : {}), people, channels, escalation: escalates(route, step) },
              },
              { actor: 'hub', agentId: decision.agentId, taskId: decision.taskId },
            ),
          );
        }
      }
      if (events.length === 0) return;
      // Re-checked after the log lock: a question answered meanwhile is not reminded of.
      await deps.appender.execute(async (trx) => {
        const waiting = await stillPending(trx, [...new Set(events.map((e) => e.decisionId!))]);
        return events.filter((e) => waiting.has(e.decisionId!));
      });
    },
  };
}

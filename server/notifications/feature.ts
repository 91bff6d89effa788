import type { Feature } from '../feature.ts';
import { answerRoutes, peopleRoutes } from './routes.ts';
import { notificationsProblem } from './rules.ts';
import { reminderTimer } from './timers.ts';

/**
 * People and what reaches them: the routes are checked at start, reminders come due on a timer,
 * and one-tap links are answered here. The outbox (subscriptions) sends what the routes choose.
 */
export const notificationsFeature: Feature = (deps) => {
  const problem = notificationsProblem(deps.config, deps.contracts.eventTypes, deps.notifySecrets.webhook);
  if (problem !== undefined) throw new Error(problem);
  return {
    routes: { '/answer': answerRoutes(deps), '/people': peopleRoutes(deps) },
    timers: [reminderTimer(deps)],
  };
};

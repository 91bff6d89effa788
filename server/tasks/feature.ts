import type { Feature } from '../feature.ts';

/** The tasks view: its projection, rules, routes and timers. */
export const tasksFeature: Feature = () => ({
  projection: { name: 'tasks', async apply() {} },
});

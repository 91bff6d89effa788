import type { Feature } from '../feature.ts';

/** The budget view: its projection, rules, routes and timers. */
export const budgetFeature: Feature = () => ({
  projection: { name: 'budget', async apply() {} },
});

import type { Feature } from '../feature.ts';

/** The decisions view: its projection, rules, routes and timers. */
export const decisionsFeature: Feature = () => ({
  projection: { name: 'decisions', async apply() {} },
});

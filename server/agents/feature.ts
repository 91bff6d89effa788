import type { Feature } from '../feature.ts';

/** The agents view: its projection, rules, routes and timers. */
export const agentsFeature: Feature = () => ({
  projection: { name: 'agents', async apply() {} },
});

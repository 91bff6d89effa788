import type { Feature } from '../feature.ts';
import { PolicyBook } from '../policies/book.ts';
import { codingAgentsRoutes } from './routes.ts';

/** Coding agents reached through their own hooks (Claude Code): sessions as agents, tool calls judged by the policy. */
export const codingAgentsFeature: Feature = (deps) => {
  const book = new PolicyBook(deps.db, deps.config.policies);
  return { routes: { '/integrations': codingAgentsRoutes(deps, () => book.current()) } };
};

import type { Feature } from '../feature.ts';
import { PolicyBook } from './book.ts';
import { policiesProjection } from './projection.ts';
import { policiesRoutes } from './routes.ts';
import { permissiveRules } from './rules.ts';

/** What coding agents may do: the rules (config, shipped, added by operators), `POST /policies/check`. */
export const policiesFeature: Feature = (deps) => {
  const book = new PolicyBook(deps.db, deps.config.policies);
  for (const warning of permissiveRules(book.configured)) deps.logger.warn(warning);
  return { projection: policiesProjection, routes: { '/policies': policiesRoutes(deps, book) } };
};

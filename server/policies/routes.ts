import { Hono } from 'hono';
import type { Risk } from '../../contracts/vocabulary.ts';
import { findAgent } from '../agents/store.ts';
import { allow, principalOf } from '../auth/middleware.ts';
import { HubError } from '../errors.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { jsonBody, matching } from '../http/json-body.ts';
import { knownQuery } from '../http/known-query.ts';
import { inScope } from '../projects/scope.ts';
import type { PolicyBook } from './book.ts';
import { evaluate, listRules } from './rules.ts';

interface PolicyCheck {
  tool: string;
  input?: Record<string, unknown>;
  command?: string;
  path?: string;
  cwd?: string;
  agentId?: string;
  risk?: Risk;
}

/**
 * `GET /policies`: the rules in the order they are checked; `POST /policies/check`: which rule a
 * tool call meets and what it says, without logging or asking anyone.
 */
export function policiesRoutes(deps: FeatureDeps, book: PolicyBook): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  app.get('/', allow('GET /policies'), knownQuery([]), async (c) => c.json({ rules: listRules(await book.current()) }));
  app.post('/check', allow('POST /policies/check'), jsonBody(matching<PolicyCheck>(deps.contracts, 'requests/policy-check.schema.json')), async (c) => {
    const principal = principalOf(c);
    const body = c.req.valid('json');
    // An agent token asks about its own calls, as the agent the hub knows (or, before its first word, as no agent yet).
    const agentId = body.agentId ?? principal.agentId ?? undefined;
    const found = agentId === undefined ? undefined : await findAgent(deps.db, agentId);
    if (body.agentId !== undefined && (found === undefined || !inScope(principal, found.projectId))) throw new HubError('not_found', `no agent "${body.agentId}"`);
    const input = { ...body.input, ...(body.command !== undefined ? { command: body.command } : {}), ...(body.path !== undefined ? { file_path: body.path } : {}) };
    const verdict = evaluate(await book.current(), {
      tool: body.tool,
      input,
      ...(found ? { agent: found } : {}),
      ...(body.cwd !== undefined ? { cwd: body.cwd } : {}),
      ...(body.risk !== undefined ? { risk: body.risk } : {}),
    });
    return c.json(verdict);
  });
  return app;
}

import { Hono } from 'hono';
import type { MergeRequest } from '../../contracts/index.ts';
import { findAgent } from '../agents/store.ts';
import { allow, principalOf } from '../auth/middleware.ts';
import { requestDecision } from '../decisions/commands.ts';
import { newDecisionId } from '../decisions/model.ts';
import { existingDecision } from '../decisions/store.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { jsonBody, matching } from '../http/json-body.ts';
import { newEvent } from '../log/new-event.ts';
import { inScope } from '../projects/scope.ts';
import { decideMerge, mergeContext } from './rules.ts';
import { workspaceRecord } from './store.ts';

/** `POST /agents/:id/merge`: put an ended agent's branch up for a merge, which a decision settles and its runner applies. */
export function workspacesRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  app.post('/agents/:id/merge', allow('POST /agents/:id/merge'), jsonBody(matching<MergeRequest>(deps.contracts, 'requests/merge-request.schema.json'), { optional: true }), async (c) => {
    const principal = principalOf(c);
    const id = c.req.param('id');
    const { reason } = c.req.valid('json');
    const found = await findAgent(deps.db, id);
    const agent = found && inScope(principal, found.projectId) ? found : undefined;
    const template = agent?.template && Object.hasOwn(deps.config.templates, agent.template) ? deps.config.templates[agent.template] : undefined;
    const record = await workspaceRecord(deps.db, id);
    const plan = decideMerge(agent, id, template, record);
    const decisionId = newDecisionId();
    const now = deps.clock.now();
    const request = newEvent(
      { type: 'workspace.merge_requested', data: { branch: plan.branch, base: plan.base, mode: plan.mode, template: agent!.template!, by: principal.actor }, actor: principal.actor, agentId: id, decisionId },
      c.get('origin'),
    );
    await requestDecision(
      deps.appender,
      {
        id: decisionId,
        title: `Merge ${plan.branch} into ${plan.base}?`,
        context: mergeContext(plan, record, reason),
        options: ['approve', 'deny'],
        risk: plan.risk,
        expiresAt: new Date(now.getTime() + deps.config.decisions.defaultExpiresInSec * 1000).toISOString(),
        onTimeout: 'deny',
        agentId: id,
        taskId: agent!.taskId,
      },
      { actor: principal.actor, key: undefined, origin: c.get('origin') },
      [request],
    );
    return c.json(await existingDecision(deps.db, decisionId), 201);
  });
  return app;
}

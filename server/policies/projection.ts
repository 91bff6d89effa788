import { personName } from '../auth/tokens.ts';
import { loadDecision } from '../decisions/store.ts';
import { HubError } from '../errors.ts';
import { eventOf } from '../log/command.ts';
import type { Projection } from '../log/event.ts';
import { findEvents } from '../log/event-query.ts';
import type { PolicyRule } from './model.ts';
import { ruleFromApproval } from './rules.ts';
import { saveRule } from './store.ts';

type Scope = 'agent' | 'project' | 'everyone';

/**
 * The rules operators added: an approval "from now on" (`decision.resolved` with `allowFromNow`)
 * of a tool call adds a `policy.rule_added` in the same transaction, and the view keeps it, so a
 * rebuild from the log gives the same rule set.
 */
export const policiesProjection: Projection = {
  name: 'policies',
  tables: ['policy_rules'],
  // apply: the rules added; react: an approval that allows from now on.
  concerns: (event) => event.type === 'policy.rule_added' || event.type === 'decision.resolved',
  async apply(trx, event) {
    if (event.type === 'policy.rule_added') await saveRule(trx, event.data.rule as PolicyRule, event.seq);
  },
  async react(trx, event) {
    if (event.type !== 'decision.resolved' || typeof event.data.allowFromNow !== 'string' || event.decisionId === undefined) return [];
    const [requested] = await findEvents(trx, { type: 'tool.requested', decisionId: event.decisionId }, 1);
    const decision = await loadDecision(trx, event.decisionId);
    if (requested === undefined || decision === undefined) return [];
    const scope = event.data.allowFromNow as Scope;
    const call = { tool: String(requested.data.tool), input: (requested.data.input ?? {}) as Record<string, unknown> };
    const rule = ruleFromApproval({ id: decision.id, agentId: decision.agentId, projectId: decision.projectId }, call, scope, await personName(trx, event.actor));
    return [eventOf({ type: 'policy.rule_added', data: { rule, scope, by: event.actor }, idempotencyKey: `policy:${rule.name}` }, { actor: 'hub', cause: event })];
  },
  guard: {
    applies: (event) => event.type === 'decision.resolved' && event.data.allowFromNow !== undefined,
    async check(trx, event) {
      const [requested] = event.decisionId === null ? [] : await findEvents(trx, { type: 'tool.requested', decisionId: event.decisionId }, 1);
      if (requested === undefined) {
        throw new HubError('validation_failed', `decision ${event.decisionId} is not about a tool call, so there is nothing to allow from now on; answer it without allowFromNow`, [
          { path: '/allowFromNow', message: 'only for a decision about a tool call' },
        ]);
      }
    },
  },
};

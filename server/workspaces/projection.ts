import { eventOf } from '../log/command.ts';
import type { Projection } from '../log/event.ts';
import { mergeRequestOf } from './store.ts';

/**
 * Merges, from decision to runner: when the decision a merge request opened is approved, the
 * request becomes `workspace.merge_approved`, which the agent's runner applies. (No view of its
 * own: the workspace events are read where they are needed.)
 */
export const workspacesProjection: Projection = {
  name: 'workspaces',
  concerns: (event) => event.type === 'decision.resolved',
  async apply() {},
  async react(trx, event) {
    if (event.type !== 'decision.resolved' || event.decisionId === undefined || event.data.outcome !== 'approve') return [];
    const request = await mergeRequestOf(trx, event.decisionId);
    if (request === undefined || request.agentId === undefined) return [];
    const { branch, base, mode, template } = request.data;
    const change = { type: 'workspace.merge_approved', agentId: request.agentId, data: { branch, base, mode, template }, idempotencyKey: `workspace:${request.agentId}:merge_approved:${event.decisionId}` };
    return [eventOf(change, { actor: 'hub', cause: event })];
  },
};

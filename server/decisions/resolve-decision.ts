import type { Clock } from '../clock.ts';
import { HubError } from '../errors.ts';
import { handleCommand } from '../log/command.ts';
import type { EventAppender } from '../log/group-commit.ts';
import { loadDecision } from './load-decision.ts';
import { type DecisionAnswer, decideResolve } from './rules.ts';

/**
 * Answers a decision inside the append transaction, after the log lock: of two concurrent
 * answers the second sees the first, so only one can win. (Its events take keys no client can
 * know, so no one can block an answer by taking its key first through POST /events.)
 */
export async function resolveDecision(appender: EventAppender, id: string, answer: DecisionAnswer, clock: Clock, requestId: string): Promise<void> {
  await handleCommand(
    appender,
    async (trx) => {
      const decision = await loadDecision(trx, id);
      if (decision === undefined) throw new HubError('not_found', `no decision ${id}; GET /decisions lists them`);
      return decision;
    },
    (decision) => decideResolve(decision, answer, clock.now()),
    // The asking agent and its task: every event of a decision carries them, so agent and task filters see it.
    (decision) => ({ actor: answer.by, agentId: decision.agentId, taskId: decision.taskId, requestId }),
  );
}

import { type Risk, risks } from '../../contracts/vocabulary.ts';
import { type Command, ExitCode, UsageError, text, wholeNumber } from './command.ts';
import { decisionOutcome } from './format.ts';
import { resolverName } from './names.ts';

export const decideCommand: Command = {
  name: 'decide',
  summary: 'ask an operator and wait for the answer (exit 0 approve, 1 deny, 2 expired)',
  usage: 'mc decide --title <text> [--context <text>] [--risk low|medium|high|red] [--timeout <seconds>] [--option X ...]',
  help: `Opens a decision in the inbox and waits until an operator answers it or its deadline
passes; prints the outcome and the comment. Meant for scripts and hooks: the exit code is the
answer. It keeps waiting through hub restarts.

  --title <text>       the question (required)
  --context <text>     what the operator needs to know to answer
  --risk <tier>        low (approved by policy at once), medium, high, red (two operators); default medium
  --timeout <seconds>  the deadline; unanswered by then, the hub applies its onTimeout (deny by default)
  --option X           an answer besides approve and deny (repeatable); the chosen one is printed, exit 0
  --task X             the task it is about

Exit codes: 0 approved (or another option chosen), 1 denied or cancelled, 2 expired, 3 error.`,
  options: {
    title: { type: 'string' },
    context: { type: 'string' },
    risk: { type: 'string', default: 'medium' },
    timeout: { type: 'string' },
    option: { type: 'string', multiple: true },
    task: { type: 'string' },
  },
  async run(ctx, values) {
    const title = text(values, 'title');
    if (!title) throw new UsageError('--title is required');
    const risk = text(values, 'risk')!;
    if (!(risks as readonly string[]).includes(risk)) throw new UsageError(`--risk must be one of ${risks.join(', ')}, got ${JSON.stringify(risk)}`);
    const expiresInSec = wholeNumber(text(values, 'timeout'), '--timeout', 1);
    const context = text(values, 'context');
    const taskId = text(values, 'task');
    const options = values.option as string[] | undefined;
    const ask = { title, risk: risk as Risk, ...(context ? { context } : {}), ...(expiresInSec ? { expiresInSec } : {}), ...(options ? { options } : {}), ...(taskId ? { taskId } : {}) };
    const decision = await ctx.client.decisions.request(ask, {
      signal: ctx.signal,
      onAsked: (asked) => asked.status === 'pending' && ctx.err(`waiting for ${asked.id} (${asked.risk} risk, deadline ${asked.expiresAt}); answer with: mc resolve ${asked.id} approve|deny`),
    });
    ctx.out(decisionOutcome(decision, await resolverName(ctx.client, decision)));
    if (decision.status === 'expired') return ExitCode.expired;
    if (decision.status === 'resolved' && decision.outcome !== 'deny') return ExitCode.ok;
    return ExitCode.denied;
  },
};

import { type Command, positional, text } from './command.ts';

/** `mc pause` and `mc resume`: the same shape, the opposite move. */
function pauseOrResume(action: 'pause' | 'resume'): Command {
  const pausing = action === 'pause';
  return {
    name: action,
    summary: pausing ? 'pause an agent' : 'resume a paused agent',
    usage: `mc ${action} <agentId> [--reason <text>]`,
    help: `${pausing ? 'Pauses the agent: it stops at its next checkpoint until resumed' : 'Resumes an agent that is paused (by an operator, a budget or pause-all)'}. An agent that is
already ${pausing ? 'paused' : 'running'}, or has ended, is refused (exit 3).

  --reason <text>   why, logged with the event`,
    options: { reason: { type: 'string' } },
    async run(ctx, values, positionals) {
      const [agentId] = positional(positionals, 'agentId') as [string];
      const reason = text(values, 'reason');
      const agent = pausing ? await ctx.client.agents.pause(agentId, reason) : await ctx.client.agents.resume(agentId, reason);
      ctx.out(`${agent.id}: ${agent.status}`);
      return 0;
    },
  };
}

export const pauseCommand = pauseOrResume('pause');
export const resumeCommand = pauseOrResume('resume');

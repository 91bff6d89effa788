import { type Command, positional, text } from './command.ts';

type AgentMove = 'pause' | 'resume' | 'stop';

const moves: Record<AgentMove, { summary: string; help: string }> = {
  pause: {
    summary: 'pause an agent',
    help: 'Pauses the agent: it stops at its next checkpoint until resumed. An agent that is already paused, or has ended, is refused (exit 3).',
  },
  resume: {
    summary: 'resume a paused agent',
    help: 'Resumes an agent that is paused (by an operator, a budget or pause-all). An agent that is running, or has ended, is refused (exit 3).',
  },
  stop: {
    summary: 'stop an agent the hub started',
    help: 'Stops the agent: its runner sends SIGTERM, then SIGKILL after spawn.stopGraceMs; its end is logged as agent.exited with who stopped it. One still waiting for a runner never starts. An agent that has ended, or that registered itself, is refused (exit 3).',
  },
};

/** `mc pause`, `mc resume` and `mc stop`: the same shape, one move each on one agent. */
function agentMove(action: AgentMove): Command {
  return {
    name: action,
    summary: moves[action].summary,
    usage: `mc ${action} <agentId> [--reason <text>]`,
    help: `${moves[action].help}

  --reason <text>   why, logged with the event`,
    options: { reason: { type: 'string' } },
    async run(ctx, values, positionals) {
      const [agentId] = positional(positionals, 'agentId') as [string];
      const agent = await ctx.client.agents[action](agentId, text(values, 'reason'));
      ctx.out(`${agent.id}: ${action === 'stop' ? 'stopping' : agent.status}`);
      return 0;
    },
  };
}

export const pauseCommand = agentMove('pause');
export const resumeCommand = agentMove('resume');
export const stopCommand = agentMove('stop');

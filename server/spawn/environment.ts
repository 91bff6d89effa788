import { type TraceContext, traceparentOf } from '../../contracts/index.ts';
import type { AgentTemplate } from '../config.ts';

// Only these pass from the hub's own environment: it holds the database URL and the admin token.
const inherited = ['PATH', 'HOME', 'LANG', 'TERM', 'TMPDIR', 'TZ'];

/** The environment an agent starts with: a few basics, its template's `env`, how to reach the hub, and its trace. */
export function agentEnvironment(
  hubEnvironment: Readonly<Record<string, string | undefined>>,
  template: AgentTemplate,
  agent: { hubUrl: string; agentId: string; token: string; taskId?: string; input?: unknown; trace: TraceContext },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of inherited) if (hubEnvironment[name] !== undefined) env[name] = hubEnvironment[name]!;
  Object.assign(env, template.env, {
    MC_HUB_URL: agent.hubUrl,
    MC_AGENT_ID: agent.agentId,
    MC_AGENT_TOKEN: agent.token,
    // The W3C trace the agent's work belongs to, as OpenTelemetry SDKs and ours read it.
    TRACEPARENT: traceparentOf(agent.trace),
  });
  if (agent.taskId) env.MC_TASK_ID = agent.taskId;
  if (agent.input !== undefined) env.MC_AGENT_INPUT = JSON.stringify(agent.input);
  return env;
}

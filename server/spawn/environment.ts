import type { Logger } from 'pino';
import { type TraceContext, traceparentOf } from '../../contracts/index.ts';
import type { AgentTemplate } from '../config.ts';
import type { SystemAccount } from '../system-account.ts';

/**
 * Who the agents of a hub run as: the dedicated user `user` (made if missing) when the hub can
 * switch users, that is when it runs as root; otherwise the hub's own user, which it says once.
 */
export function agentAccount(hubUid: number | undefined, user: string, find: (name: string) => SystemAccount, logger: Pick<Logger, 'info' | 'warn'>): SystemAccount | undefined {
  if (hubUid !== 0) {
    logger.warn(
      `agents run with the hub's own rights: they can read its files, its data directory and its process's environment. ` +
        `Run the hub as root (it then starts agents as the user "${user}") or start it in a container of its own.`,
    );
    return undefined;
  }
  const account = find(user);
  logger.info({ user: account.name, uid: account.uid }, `agents run as the user ${account.name}`);
  return account;
}

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

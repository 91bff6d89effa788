import type { Logger } from 'pino';
import type { AgentTemplate } from '../config.ts';
import type { SystemAccount } from '../system-account.ts';

/**
 * Who the agents of a runner run as: the dedicated user `user` (made if missing) when the runner
 * can switch users, that is when it runs as root; otherwise the runner's own user, which it says once.
 */
export function agentAccount(runnerUid: number | undefined, user: string, find: (name: string) => SystemAccount, logger: Pick<Logger, 'info' | 'warn'>): SystemAccount | undefined {
  if (runnerUid !== 0) {
    logger.warn(
      `agents run with the runner's own rights: they can read its files, its state directory and its process's environment. ` +
        `Run the runner as root (it then starts agents as the user "${user}", runner.runAs) or in a container of its own.`,
    );
    return undefined;
  }
  const account = find(user);
  logger.info({ user: account.name, uid: account.uid }, `agents run as the user ${account.name}`);
  return account;
}

// Only these pass from the runner's own environment: it holds the runner's settings.
const inherited = ['PATH', 'HOME', 'LANG', 'TERM', 'TMPDIR', 'TZ'];

/** What the hub tells a runner about an agent it starts. */
export interface AgentStart {
  agentId: string;
  token: string;
  taskId: string | null;
  input: unknown;
  /** The W3C trace the agent's work belongs to, as OpenTelemetry SDKs and ours read it. */
  traceparent: string;
}

/** The environment an agent starts with: a few basics, its template's `env`, how to reach the hub, and its trace. */
export function agentEnvironment(runnerEnvironment: Readonly<Record<string, string | undefined>>, template: AgentTemplate, hubUrl: string, start: AgentStart): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of inherited) if (runnerEnvironment[name] !== undefined) env[name] = runnerEnvironment[name]!;
  Object.assign(env, template.env, { MC_HUB_URL: hubUrl, MC_AGENT_ID: start.agentId, MC_AGENT_TOKEN: start.token, TRACEPARENT: start.traceparent });
  if (start.taskId !== null) env.MC_TASK_ID = start.taskId;
  if (start.input !== null && start.input !== undefined) env.MC_AGENT_INPUT = JSON.stringify(start.input);
  return env;
}

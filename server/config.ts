import { fileURLToPath } from 'node:url';
import type { AppendLimits } from './log/check-append.ts';
import type { OutputLimits } from './spawn/output-pump.ts';
import type { SseOptions } from './stream/sse-subscriber.ts';

/** A kind of agent the hub may start: the only commands `/spawn` can ever run. */
export interface AgentTemplate {
  description?: string;
  command: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** The agent's spending limit; a spawn request may override it. */
  budgetUsd?: number;
  /** Stopped (SIGTERM, then SIGKILL) and logged as failed after this long. */
  timeoutSec?: number;
  /** `messages`: injected messages also arrive on stdin, one JSON line each. */
  stdin?: 'none' | 'messages';
}

/** Everything a hub can be tuned by, with the defaults an operator gets without a config file. */
export interface HubConfig {
  limits: AppendLimits & {
    /** Largest request body. */
    bodyBytes: number;
  };
  rateLimits: {
    /** Sustained requests per second per token, and the burst it may save up. */
    perTokenPerSecond: number;
    perTokenBurst: number;
    /** The same per client address, whatever the token. */
    perAddressPerSecond: number;
    perAddressBurst: number;
  };
  http: {
    /** Time a client has to send its request headers, and the whole request. */
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    /** On shutdown, how long requests in flight may take before their connections are cut. */
    drainMs: number;
  };
  auth: {
    /** How long a verified token is trusted before it is looked up again. */
    cacheMs: number;
  };
  groupCommit: {
    /** Most events in one append transaction. */
    maxEvents: number;
    /** Append transactions open at once; they commit one at a time. */
    maxInFlight: number;
  };
  timers: {
    /** How often the timers (stale agents, decision deadlines, loops) look for due work. */
    tickMs: number;
  };
  agents: {
    /** An agent without a heartbeat or event for this long becomes stale. */
    staleAfterMs: number;
  };
  decisions: {
    /** Deadline of a decision that names none. */
    defaultExpiresInSec: number;
    defaultOnTimeout: 'deny' | 'approve' | 'escalate';
  };
  budgets: {
    /** Default limits in USD; a spawn may override the agent's. */
    agentUsd: number;
    taskUsd: number;
    globalDailyUsd: number;
    /** Fraction of a limit at which `budget.warning` is logged once. */
    warnAt: number;
  };
  /** Agent templates by name. */
  templates: Record<string, AgentTemplate>;
  spawn: OutputLimits & {
    /** The system user agents run as when the hub runs as root (made if missing). */
    user: string;
  };
  loops: {
    /** The same failure from one agent this many times within the window blocks its task. */
    sameFailureCount: number;
    /** A task handed between two agents this many times within the window is blocked. */
    handoffCount: number;
    windowMs: number;
  };
  stream: SseOptions & {
    /** Poll interval while the LISTEN connection is down. */
    pollMs: number;
    /** Safety poll while it is up. */
    idlePollMs: number;
    /** Open SSE streams and decision waits (together) one token may hold at once on one hub. */
    maxStreamsPerToken: number;
  };
}

export const defaultConfig: HubConfig = {
  limits: { bodyBytes: 1024 * 1024, eventDataBytes: 64 * 1024 },
  rateLimits: { perTokenPerSecond: 1000, perTokenBurst: 2000, perAddressPerSecond: 10_000, perAddressBurst: 20_000 },
  http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, drainMs: 3000 },
  auth: { cacheMs: 10_000 },
  groupCommit: { maxEvents: 5000, maxInFlight: 2 },
  timers: { tickMs: 1000 },
  agents: { staleAfterMs: 60_000 },
  decisions: { defaultExpiresInSec: 3600, defaultOnTimeout: 'deny' },
  budgets: { agentUsd: 10, taskUsd: 25, globalDailyUsd: 100, warnAt: 0.8 },
  loops: { sameFailureCount: 3, handoffCount: 4, windowMs: 600_000 },
  templates: {
    sample: {
      description: 'A small agent written with the SDK: reports progress, asks for a decision, answers messages.',
      command: 'node',
      args: ['--import', 'tsx', 'server/client/sample-agent.ts'],
      // The project's own directory: the sample is a file of it.
      cwd: fileURLToPath(new URL('../', import.meta.url)),
      stdin: 'none',
      timeoutSec: 3600,
    },
  },
  spawn: { linesPerSecond: 50, burst: 200, maxLineChars: 8192, stderrTail: 20, user: 'mc-agent' },
  stream: {
    retryMs: 2000,
    heartbeatMs: 15_000,
    replayPageSize: 2000,
    pageBytes: 4 * 1024 * 1024,
    maxBufferedBytes: 4 * 1024 * 1024,
    maxHeldEvents: 10_000,
    pollMs: 250,
    idlePollMs: 10_000,
    maxStreamsPerToken: 50,
  },
};

export type ConfigOverrides = { [S in keyof HubConfig]?: Partial<HubConfig[S]> };

// Templates are the commands the hub may run: a configured set replaces the built-in one whole,
// so an operator who lists theirs runs only those (and can take `sample` away).
const replacedWhole: ReadonlySet<keyof HubConfig> = new Set(['templates']);

/** The defaults with `overrides` laid over them, section by section; `templates` replace the defaults whole. */
export function withOverrides(base: HubConfig, overrides: ConfigOverrides): HubConfig {
  const merged = { ...base };
  for (const section of Object.keys(base) as Array<keyof HubConfig>) {
    const override = overrides[section];
    const value = replacedWhole.has(section) && override !== undefined ? { ...override } : { ...base[section], ...override };
    Object.assign(merged, { [section]: value });
  }
  return merged;
}

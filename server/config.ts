import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentTemplate, HubConfigurationFile } from '../contracts/index.ts';

export type { AgentTemplate };

/**
 * Everything a hub can be tuned by: the config file's sections (typed from its schema, one source),
 * each complete, since the defaults fill what a file leaves out. The healer reads its own section.
 */
export type HubConfig = { [S in Exclude<keyof HubConfigurationFile, 'healer'>]-?: Required<NonNullable<HubConfigurationFile[S]>> };

export const defaultConfig: HubConfig = {
  limits: { bodyBytes: 1024 * 1024, eventDataBytes: 64 * 1024 },
  rateLimits: { perTokenPerSecond: 1000, perTokenBurst: 2000, perAddressPerSecond: 10_000, perAddressBurst: 20_000 },
  http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, drainMs: 3000 },
  auth: { cacheMs: 10_000 },
  groupCommit: { maxEvents: 5000, maxInFlight: 2 },
  timers: { tickMs: 1000, retentionEveryMs: 600_000 },
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
  projects: {},
  policies: { rules: [], shipped: true },
  codingAgents: { decisionWaitSec: 540, textChars: 4000, hookBodyBytes: 32 * 1024 * 1024 },
  spawn: { linesPerSecond: 50, burst: 200, maxLineChars: 8192, stderrTail: 20, stopGraceMs: 10_000 },
  runners: { offlineAfterMs: 30_000, maxPollWaitMs: 20_000 },
  people: {},
  retention: {},
  notifications: { publicUrl: '', routes: [], smtp: { host: 'localhost', port: 25, secure: false, from: 'Mission Control <mission-control@localhost>' }, timeoutMs: 10_000 },
  webhooks: { pollMs: 1000, timeoutMs: 10_000, maxBackoffMs: 600_000, maxAttempts: 30, pauseAfterFailures: 20 },
  runner: {
    name: runnerName(hostname()),
    labels: {},
    capacity: 8,
    templates: ['*'],
    runAs: 'mc-agent',
    pollWaitMs: 15_000,
    workspacesDir: path.join(tmpdir(), 'mc-workspaces'),
    worktreeRetentionSec: 86_400,
  },
  stream: {
    retryMs: 2000,
    heartbeatMs: 15_000,
    replayPageSize: 8000,
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

/** A host name as a runner's name may be written: letters, digits, `_.-`, at most 64. */
function runnerName(host: string): string {
  return host.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64) || 'runner';
}

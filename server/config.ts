import type { AppendLimits } from './log/check-append.ts';
import type { SseOptions } from './stream/sse-subscriber.ts';

/** Everything a hub can be tuned by, with the defaults an operator gets without a config file. */
export interface HubConfig {
  limits: AppendLimits & {
    /** Largest request body. */
    bodyBytes: number;
  };
  groupCommit: {
    /** Most events in one append transaction. */
    maxEvents: number;
  };
  stream: SseOptions & {
    /** Poll interval while the LISTEN connection is down. */
    pollMs: number;
    /** Safety poll while it is up. */
    idlePollMs: number;
  };
}

export const defaultConfig: HubConfig = {
  limits: { bodyBytes: 1024 * 1024, eventDataBytes: 64 * 1024 },
  groupCommit: { maxEvents: 5000 },
  stream: {
    retryMs: 2000,
    heartbeatMs: 15_000,
    replayPageSize: 2000,
    maxBufferedBytes: 4 * 1024 * 1024,
    maxHeldEvents: 10_000,
    pollMs: 250,
    idlePollMs: 10_000,
  },
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** The defaults with `overrides` laid over them, section by section. */
export function withOverrides(base: HubConfig, overrides: DeepPartial<HubConfig>): HubConfig {
  return {
    limits: { ...base.limits, ...overrides.limits },
    groupCommit: { ...base.groupCommit, ...overrides.groupCommit },
    stream: { ...base.stream, ...overrides.stream },
  };
}

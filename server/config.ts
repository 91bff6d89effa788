import type { AppendLimits } from './log/check-append.ts';
import type { SseOptions } from './stream/sse-subscriber.ts';

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
  };
  stream: SseOptions & {
    /** Poll interval while the LISTEN connection is down. */
    pollMs: number;
    /** Safety poll while it is up. */
    idlePollMs: number;
    /** Open streams one token may hold at once. */
    maxStreamsPerToken: number;
  };
}

export const defaultConfig: HubConfig = {
  limits: { bodyBytes: 1024 * 1024, eventDataBytes: 64 * 1024 },
  rateLimits: { perTokenPerSecond: 1000, perTokenBurst: 2000, perAddressPerSecond: 2000, perAddressBurst: 4000 },
  http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, drainMs: 3000 },
  auth: { cacheMs: 10_000 },
  groupCommit: { maxEvents: 5000 },
  stream: {
    retryMs: 2000,
    heartbeatMs: 15_000,
    replayPageSize: 2000,
    maxBufferedBytes: 4 * 1024 * 1024,
    maxHeldEvents: 10_000,
    pollMs: 250,
    idlePollMs: 10_000,
    maxStreamsPerToken: 50,
  },
};

export type ConfigOverrides = { [S in keyof HubConfig]?: Partial<HubConfig[S]> };

/** The defaults with `overrides` laid over them, section by section. */
export function withOverrides(base: HubConfig, overrides: ConfigOverrides): HubConfig {
  const merged = { ...base };
  for (const section of Object.keys(base) as Array<keyof HubConfig>) {
    Object.assign(merged, { [section]: { ...base[section], ...overrides[section] } });
  }
  return merged;
}

import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Gauge } from 'prom-client';
import type { Contracts } from '../contracts/index.ts';
import type { Clock } from './clock.ts';
import type { HubConfig } from './config.ts';
import type { Database } from './db/schema.ts';
import type { HubEnv } from './http/env.ts';
import type { Projection } from './log/event.ts';
import type { EventAppender } from './log/group-commit.ts';
import type { CommitSignal } from './log/commit-signal.ts';
import type { EventFanout } from './stream/fanout.ts';
import type { HeldRequests } from './stream/held-requests.ts';
import type { NotifySecrets } from './notifications/courier.ts';

/** What a feature is built from. */
export interface FeatureDeps {
  db: Kysely<Database>;
  /** This log's id, made once with its database: signed callbacks must name it. */
  logId: string;
  appender: EventAppender;
  /** The types each of this hub's commits wrote, as they commit. */
  commits: CommitSignal;
  contracts: Contracts;
  config: HubConfig;
  clock: Clock;
  fanout: EventFanout;
  /** The streams and decision waits each token holds open, capped per token. */
  held: HeldRequests;
  logger: Logger;
  /** `MC_HEALER_SECRET` (`whsec_<base64>`): signs the healer's callbacks. */
  healerSecret: string | undefined;
  /** `MC_NOTIFY_WEBHOOK_SECRET` and `MC_SMTP_PASSWORD`, when set. */
  notifySecrets: NotifySecrets;
}

/** Work a hub does on a schedule; with several hubs, one runs it at a time. It must be idempotent. */
export interface TimerJob {
  name: string;
  run(now: Date): Promise<void>;
}

/** A view of the log with its rules: its projection, its routes (by mount path) and its timers. */
export interface FeatureParts {
  projection?: Projection;
  routes?: Record<string, Hono<HubEnv>>;
  timers?: TimerJob[];
  /** Gauges of the view, read from its tables at each scrape of `/metrics` (made with `registers: []`: the hub registers them). */
  gauges?: Gauge[];
  /** Called once the hub serves at `url` (its fan-out and listener up), to begin its background work; never by a rebuild, which builds the features for their projections only. */
  start?(hub: { url: string }): void;
  /** Called on shutdown while the log still takes appends (e.g. to stop the agents this hub runs). */
  stop?(): Promise<void>;
}

export type Feature = (deps: FeatureDeps) => FeatureParts;

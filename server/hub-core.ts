import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { type Contracts, loadContracts } from '../contracts/index.ts';
import { type Clock, systemClock } from './clock.ts';
import type { HubConfig } from './config.ts';
import { migrateToLatest } from './db/migrate.ts';
import { RowStream } from './db/row-stream.ts';
import type { Database } from './db/schema.ts';
import { loggableError } from './errors.ts';
import type { NotifySecrets } from './notifications/courier.ts';
import { CommitSignal } from './log/commit-signal.ts';
import type { Feature, FeatureParts } from './feature.ts';
import type { Projection } from './log/event.ts';
import { GroupCommitAppender } from './log/group-commit.ts';
import { notifyChannel } from './log/lock.ts';
import { readLogId } from './log/log-id.ts';
import { type RebuildOptions, type RebuildResult, rebuildViews } from './log/rebuild.ts';
import { type HubMetrics, createMetrics } from './ops/metrics.ts';
import { EventFanout } from './stream/fanout.ts';
import { TokenVerifier } from './auth/verifier.ts';
import { HeldRequests } from './stream/held-requests.ts';

export interface CoreOptions {
  databaseUrl: string;
  config: HubConfig;
  logger: Logger;
  /** The views to keep (see server/installed-features.ts). */
  features: readonly Feature[];
  /** Extra projections, after the features' own. */
  projections?: readonly Projection[];
  clock?: Clock;
  /** `MC_HEALER_SECRET`: the key the healer's callbacks are signed with. */
  healerSecret?: string;
  /** `MC_NOTIFY_WEBHOOK_SECRET` and `MC_SMTP_PASSWORD`. */
  notifySecrets?: NotifySecrets;
}

/** The parts of a hub that hold no socket but the pool: database, log, fan-out, features. */
export interface HubCore {
  pool: pg.Pool;
  db: Kysely<Database>;
  /** This log's id, made once with its database. */
  logId: string;
  contracts: Contracts;
  /** The hub's logger: an error it logs shows its kind, code and stack, never its message, which may quote a request. */
  logger: Logger;
  metrics: HubMetrics;
  clock: Clock;
  fanout: EventFanout;
  /** Checks tokens, and ends the requests a token holds once it is revoked or expires. */
  verifier: TokenVerifier;
  held: HeldRequests;
  appender: GroupCommitAppender;
  projections: readonly Projection[];
  parts: readonly FeatureParts[];
}

/** Connects, migrates and builds the features; `startHub` serves it, the rebuild replays into it. */
export async function buildHubCore(options: CoreOptions): Promise<HubCore> {
  const { config } = options;
  const logger = options.logger.child({}, { serializers: { err: loggableError } });
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 20, connectionTimeoutMillis: 3000, application_name: 'mission-control' });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
  // The cursor lets a replay take a page's rows as they arrive (`streamAfter`).
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: RowStream }) });
  await migrateToLatest(db);
  const logId = await readLogId(db);

  const contracts = loadContracts();
  const metrics = createMetrics();
  const fanout = new EventFanout(db, { readBatch: { limit: 1000, maxBytes: config.stream.pageBytes }, onError: (error) => logger.warn({ err: error }, 'reading new events failed; will retry') });
  const commits = new CommitSignal();
  // Filled below, once the features (which append through the appender) are built.
  const projections: Projection[] = [];
  const appender = new GroupCommitAppender(db, projections, {
    maxEvents: config.groupCommit.maxEvents,
    maxInFlight: config.groupCommit.maxInFlight,
    notifyChannel,
    onCommitted: (lastSeq, written, types) => {
      metrics.appendedEvents.inc(written);
      metrics.appendBatchSize.observe(written);
      fanout.wake(lastSeq);
      commits.emit(types);
    },
    onError: (error) => logger.error({ err: error }, 'append failed'),
  });
  const clock = options.clock ?? systemClock;
  const verifier = new TokenVerifier(db, config.auth.cacheMs, (error) => logger.warn({ err: error }, 'checking the tokens of open streams failed; will retry'));
  const held = new HeldRequests(config.stream.maxStreamsPerToken, (tokenId, onRefused) => verifier.watch(tokenId, onRefused));
  const deps = { db, logId, appender, commits, contracts, config, clock, fanout, held, logger, healerSecret: options.healerSecret, notifySecrets: options.notifySecrets ?? {} };
  const parts = options.features.map((feature) => feature(deps));
  projections.push(...parts.flatMap((p) => (p.projection ? [p.projection] : [])), ...(options.projections ?? []));
  for (const gauge of parts.flatMap((p) => p.gauges ?? [])) metrics.registry.registerMetric(gauge);
  return { pool, db, logId, contracts, logger, metrics, clock, fanout, verifier, held, appender, projections, parts };
}

/** Rebuilds every view from the log (`npm run rebuild`), resuming an interrupted rebuild. */
export async function rebuildHub(options: CoreOptions, rebuild: RebuildOptions): Promise<RebuildResult> {
  const core = await buildHubCore(options);
  try {
    return await rebuildViews(core.db, core.projections, rebuild);
  } finally {
    await core.db.destroy();
  }
}

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { createApp } from './app.ts';
import { ensureAdminToken, registerToken } from './auth/tokens.ts';
import type { Database } from './db/schema.ts';
import { type CoreOptions, buildHubCore } from './hub-core.ts';
import { watchProcess } from './ops/metrics.ts';
import type { HubEnv } from './http/env.ts';
import type { Projection } from './log/event.ts';
import type { GroupCommitAppender } from './log/group-commit.ts';
import { notifyChannel } from './log/lock.ts';
import type { HubMetrics } from './ops/metrics.ts';
import type { BuildInfo } from './ops/routes.ts';
import type { EventFanout } from './stream/fanout.ts';
import { listenError } from './process/listen-error.ts';
import { LogListener } from './stream/listener.ts';
import { TimerRunner } from './timers.ts';

export interface HubOptions extends CoreOptions {
  /** `MC_ADMIN_TOKEN`: registered as an admin token. Unset: one is minted on the first start. */
  adminToken?: string;
  /** `MC_HEALER_TOKEN`: registered as a healer token, for the healer `npm start` runs beside the hub. */
  healerToken?: string;
  /** `MC_RUNNER_TOKEN`: registered as a runner token, for the runner `npm start` runs beside the hub. */
  runnerToken?: string;
  build: BuildInfo;
  port: number;
  /** The address to listen on: loopback unless told otherwise (`HOST=0.0.0.0` in a container). */
  host?: string;
}

export interface RunningHub {
  url: string;
  /** The HTTP app, for looking at its routes. */
  app: Hono<HubEnv>;
  /** The admin secret minted on this first start, to show once; undefined otherwise. */
  mintedAdminToken: string | undefined;
  metrics: HubMetrics;
  db: Kysely<Database>;
  appender: GroupCommitAppender;
  projections: readonly Projection[];
  fanout: EventFanout;
  listener: LogListener;
  timers: TimerRunner;
  /** Stops accepting, ends streams, finishes appends in flight, closes the database. */
  close(): Promise<void>;
}

/** Wires a hub together and starts serving: database, migrations, fan-out, listener, timers, HTTP. */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const { config } = options;
  const { pool, db, logId, contracts, logger, metrics, clock, fanout, verifier, held, appender, projections, parts } = await buildHubCore(options);
  watchProcess(metrics);
  const mintedAdminToken = await ensureAdminToken(db, options.adminToken);
  if (options.healerToken) await registerToken(db, options.healerToken, 'healer', 'MC_HEALER_TOKEN');
  if (options.runnerToken) await registerToken(db, options.runnerToken, 'runner', 'MC_RUNNER_TOKEN');
  await fanout.start();
  const listener = new LogListener({
    connection: { connectionString: options.databaseUrl, application_name: 'mission-control-listener', connectionTimeoutMillis: 3000 },
    channel: notifyChannel,
    pollMs: config.stream.pollMs,
    idlePollMs: config.stream.idlePollMs,
    onWake: (seq) => fanout.wake(seq),
    onStateChange: (state, error) => logger.info({ state, err: error }, `listener ${state}`),
  });
  await listener.start();

  const timers = new TimerRunner(db, parts.flatMap((p) => p.timers ?? []), clock, logger);
  timers.start(config.timers.tickMs);

  const poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  const routes = parts.flatMap((p) => Object.entries(p.routes ?? {}));
  const app = createApp({ config, db, logId, contracts, appender, fanout, held, listener, verifier, metrics, logger, build: options.build, poolStats, routes });
  // Everything behind the HTTP server, in order: no timer or feature acts on, no append is left in flight, then the database goes.
  const stopServices = async () => {
    await timers.stop();
    await Promise.all(parts.map((p) => p.stop?.()));
    await appender.drain();
    await listener.stop();
    await fanout.settled();
    await db.destroy();
  };
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch as Parameters<typeof serve>[0]['fetch'],
        port: options.port,
        hostname: host,
        serverOptions: {
          headersTimeout: config.http.headersTimeoutMs,
          requestTimeout: config.http.requestTimeoutMs,
          // Node checks for expired requests only this often (30 s by default), which would stretch the timeouts.
          connectionsCheckingInterval: Math.max(100, Math.min(config.http.headersTimeoutMs, config.http.requestTimeoutMs) / 4),
        },
      },
      () => resolve(s),
    );
    s.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, options.port, 'PORT')));
  }).catch(async (error: unknown) => {
    fanout.closeAll();
    await stopServices();
    throw error;
  });
  const http = server as unknown as Server;
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  for (const part of parts) part.start?.({ url });

  let closing: Promise<void> | undefined;
  // While closing, every answer tells the client to hang up, so keep-alive connections end
  // after the request in flight instead of carrying new ones.
  http.prependListener('request', (_req, res) => {
    if (closing) res.setHeader('connection', 'close');
  });
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      fanout.closeAll();
      const sweep = setInterval(() => http.closeIdleConnections(), 50);
      const lastResort = setTimeout(() => http.closeAllConnections(), config.http.drainMs);
      http.closeIdleConnections();
      await stopped;
      clearInterval(sweep);
      clearTimeout(lastResort);
      await stopServices();
    })());
  return { url, app, mintedAdminToken, metrics, db, appender, projections, fanout, listener, timers, close };
}

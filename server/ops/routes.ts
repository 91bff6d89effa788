import { Hono } from 'hono';
import { type Kysely, sql } from 'kysely';
import type { Contracts } from '../../contracts/index.ts';
import { refuseScoped } from '../projects/scope.ts';
import { allow, principalOf } from '../auth/middleware.ts';
import { migrationsCurrent, schemaVersion } from '../db/migrate.ts';
import type { Database } from '../db/schema.ts';
import type { HubEnv } from '../http/env.ts';
import type { EventFanout } from '../stream/fanout.ts';
import type { LogListener } from '../stream/listener.ts';
import type { HubMetrics } from './metrics.ts';

export interface BuildInfo {
  version: string;
  commit: string;
}

export interface OpsDeps {
  contracts: Contracts;
  db: Kysely<Database>;
  /** This log's id (see server/log/log-id.ts). */
  logId: string;
  fanout: EventFanout;
  listener: LogListener;
  metrics: HubMetrics;
  build: BuildInfo;
  poolStats(): { total: number; idle: number; waiting: number };
}

/** Gauges and the contract: `/healthz`, `/readyz`, `/versionz`, `/metrics`, `/contractz`. */
export function opsRoutes(deps: OpsDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const contract = JSON.stringify({ schemas: deps.contracts.schemas, openapi: deps.contracts.openapi });
  let migrated = false;

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const database = await sql`SELECT 1`.execute(deps.db).then(
      () => 'ok',
      (error: Error) => `unreachable: ${error.message}`,
    );
    if (database === 'ok' && !migrated) migrated = await migrationsCurrent(deps.db).catch(() => false);
    const checks = {
      database,
      migrations: migrated ? 'ok' : database === 'ok' ? `behind ${schemaVersion}` : 'unknown',
      listener: { connected: 'ok', polling: 'down: polling the log until LISTEN is back', stopped: 'stopped: the hub is shutting down' }[deps.listener.state],
    };
    const ready = Object.values(checks).every((v) => v === 'ok');
    return c.json({ status: ready ? 'ready' : 'unavailable', checks }, ready ? 200 : 503);
  });

  app.get('/versionz', (c) => c.json({ ...deps.build, schemaVersion, logId: deps.logId }));

  app.get('/metrics', allow('GET /metrics'), async (c) => {
    refuseScoped(principalOf(c), 'read the metrics');
    const { metrics } = deps;
    metrics.sseSubscribers.set(deps.fanout.subscriberCount);
    metrics.sseLag.set(deps.fanout.maxLag());
    metrics.listenerConnected.set(deps.listener.state === 'connected' ? 1 : 0);
    const pool = deps.poolStats();
    metrics.poolConnections.set({ state: 'total' }, pool.total);
    metrics.poolConnections.set({ state: 'idle' }, pool.idle);
    metrics.poolConnections.set({ state: 'waiting' }, pool.waiting);
    return c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType });
  });

  app.get('/contractz', (c) => c.body(contract, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=60' }));
  return app;
}

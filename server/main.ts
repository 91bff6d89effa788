import path from 'node:path';
import { pino } from 'pino';
import { defaultConfig } from './config.ts';
import { startEmbeddedPostgres } from './db/embedded.ts';
import { startHub } from './hub.ts';

// The composition root: the only place that reads the environment.
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

async function main(): Promise<void> {
  let databaseUrl = process.env.DATABASE_URL;
  let stopDatabase: (() => Promise<void>) | undefined;
  if (!databaseUrl) {
    const dir = path.resolve(process.env.MC_DATA_DIR ?? '.mission-control');
    logger.info({ dir }, 'DATABASE_URL is unset: starting the embedded PostgreSQL');
    const embedded = await startEmbeddedPostgres(dir, (line) => logger.debug({ postgres: line }));
    databaseUrl = embedded.url;
    stopDatabase = embedded.stop;
  }
  const hub = await startHub({
    databaseUrl,
    port: Number(process.env.PORT ?? 8787),
    config: defaultConfig,
    logger,
  });
  logger.info({ url: hub.url }, `Mission Control hub listening on ${hub.url}`);

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    await hub.close();
    await stopDatabase?.();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'the hub could not start');
  process.exit(1);
});

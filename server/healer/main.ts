import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { secretSetting } from '../client/secret-setting.ts';
import { readConfigFile } from '../process/config-text.ts';
import { listenError, portSetting } from '../process/listen-error.ts';
import { healerApp } from './app.ts';
import { defaultHealerConfig, parseHealerConfig } from './config.ts';
import { Healer } from './healer.ts';
import { webhookKey } from '../webhooks/signature.ts';
import { shutdownOnce } from '../process/shutdown.ts';

// The healer's composition root: the only healer file that reads the environment.
const logger = pino({ name: 'healer', level: process.env.LOG_LEVEL ?? 'info' });

async function main(): Promise<void> {
  const token = required('MC_HEALER_TOKEN', 'the healer token the hub minted for role healer');
  const secret = required('MC_HEALER_SECRET', 'the callback signing secret, whsec_<base64>, shared with the hub');
  webhookKey(secret);
  const configFile = process.env.MC_CONFIG;
  const config = configFile ? parseHealerConfig(readConfigFile(configFile), configFile) : defaultHealerConfig;
  const hubUrl = process.env.MC_HUB_URL || 'http://localhost:8787';
  const healer = new Healer({
    hubUrl,
    token,
    secret,
    config,
    statePath: path.resolve(process.env.MC_HEALER_STATE || '.mission-control/healer-state.json'),
    logger,
  });

  const host = process.env.HOST || '127.0.0.1';
  const port = portSetting(process.env.HEALER_PORT, 8000, 'HEALER_PORT');
  const app = healerApp(() => healer.readiness());
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
    s.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port, 'HEALER_PORT')));
  });
  await healer.start();
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  logger.info({ url }, `healer listening on ${url}`);
  // A hub that does not answer is no reason to stop (the healer waits out its restarts), but say once where it looked.
  fetch(new URL('/healthz', hubUrl)).catch((error: unknown) => {
    const reason = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? (error as Error).message;
    logger.warn(`cannot reach the hub at ${hubUrl} (${reason}): check MC_HUB_URL; the healer keeps trying`);
  });

  const shutdown = shutdownOnce(logger, async () => {
    await healer.stop();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Only probes talk to the healer: nothing to drain.
    (server as Server).closeAllConnections();
    await closed;
  });
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** A secret from `name` or the file `name_FILE` names; missing is an error that says what it must hold. */
function required(name: string, what: string): string {
  const setting = secretSetting(process.env, name);
  if (!setting) throw new Error(`${name} (or ${name}_FILE, a file holding it) is not set: it must hold ${what}`);
  return setting.value;
}

main().catch((error: unknown) => {
  // One line that says what and how to fix it; the stack only for those who asked for it.
  logger.fatal(logger.isLevelEnabled('debug') ? { err: error } : {}, `the healer could not start: ${(error as Error).message}`);
  process.exit(1);
});

import type { Logger } from 'pino';

/**
 * A signal handler that stops the process once, however many signals come: it logs, runs `stop`,
 * and exits 0; if stopping takes longer than `graceMs`, it exits 1 anyway.
 */
export function shutdownOnce(logger: Logger, stop: () => Promise<void>, graceMs = 5000): (signal: string) => Promise<void> {
  let stopping = false;
  return async (signal) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error(`shutdown took longer than ${graceMs / 1000} s; exiting anyway`);
      process.exit(1);
    }, graceMs);
    force.unref();
    await stop();
    logger.info('stopped');
    process.exit(0);
  };
}

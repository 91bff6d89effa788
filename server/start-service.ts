import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * Runs a service beside the hub (the healer, the runner: `script`), as its own process (it talks
 * to the hub only over HTTP), and starts it again with a backoff if it dies.
 */
export function startServiceProcess(name: string, script: string, env: Record<string, string | undefined>, logger: Logger): { stop(): Promise<void> } {
  let child: ChildProcess | undefined;
  let stopping = false;
  let backoffMs = 500;
  const run = () => {
    const started = Date.now();
    // In a process group of its own, so a Ctrl-C on the terminal reaches the hub alone and the
    // hub stops the service after itself, in order.
    const service = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    child = service;
    const orphan = () => void service.kill('SIGTERM');
    process.once('exit', orphan);
    child.once('exit', (code, signal) => {
      process.off('exit', orphan);
      if (stopping) return;
      if (Date.now() - started > 60_000) backoffMs = 500;
      logger.error({ code, signal, restartInMs: backoffMs }, `the ${name} stopped; starting it again`);
      setTimeout(run, backoffMs).unref();
      backoffMs = Math.min(backoffMs * 2, 30_000);
    });
  };
  run();
  return {
    async stop() {
      stopping = true;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  /** Every pino line it printed so far, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the first log line (past or future) that matches. */
  waitForLog(predicate: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to finish anything. */
  kill(): Promise<void>;
}

export type HubProcess = ServiceProcess;

/** Runs `server/main.ts` as a real child process, as `npm start` does, and waits until it listens. */
export function startHubProcess(env: Record<string, string>): Promise<HubProcess> {
  // The healer and the runner are tested on their own; these hubs run without them unless a test asks.
  return startService('server/main.ts', { PORT: '0', MC_HEALER: 'off', MC_RUNNER: 'off', ...env });
}

/** Runs `server/healer/main.ts` as a real child process and waits until it listens. */
export function startHealerProcess(env: Record<string, string>): Promise<ServiceProcess> {
  return startService('server/healer/main.ts', { HEALER_PORT: '0', ...env });
}

/** Runs `server/runner/main.ts` as a real child process and waits until it has registered with the hub (its `url` is then ''). */
export function startRunnerProcess(env: Record<string, string>): Promise<ServiceProcess> {
  return startService('server/runner/main.ts', env, (l) => typeof l.runnerId === 'string' && String(l.msg).includes('registered'));
}

const listens = (l: Record<string, unknown>) => typeof l.url === 'string' && String(l.msg).includes('listening');

/** Runs one of the project's services as a child process; it is up when it logs the line `ready` waits for (a `url` with "listening"). */
async function startService(entry: string, env: Record<string, string>, ready = listens): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      logs.push({ msg: line });
    }
    for (const wake of waiters) wake();
  });
  const exited = once(child, 'exit');

  const waitForLog: ServiceProcess['waitForLog'] = (predicate, timeoutMs = 20_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = logs.find(predicate);
        if (found) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`${entry}: log line not seen within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
      }, timeoutMs);
      waiters.add(check);
      void exited.then(() => {
        if (!waiters.has(check)) return;
        waiters.delete(check);
        clearTimeout(timer);
        reject(new Error(`${entry} exited before the log line; stderr: ${stderr.slice(-2000)}`));
      });
      check();
    });

  const up = await waitForLog(ready);
  return {
    url: typeof up.url === 'string' ? up.url : '',
    child,
    logs,
    waitForLog,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface ServiceExit {
  code: number | null;
  /** Every line it printed, stdout and stderr together. */
  lines: string[];
}

/** Runs one of the project's services (or `main.ts rebuild`) as a child process until it exits by itself, e.g. because it cannot start. */
export async function runUntilExit(entry: string, env: Record<string, string>, args: string[] = []): Promise<ServiceExit> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', HEALER_PORT: '0', MC_HEALER: 'off', MC_RUNNER: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, lines };
}

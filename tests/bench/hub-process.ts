import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import readline from 'node:readline';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const listeningPrefix = 'Mission Control hub listening';

export interface HubProcess {
  /** The hub's base URL, always on 127.0.0.1. */
  url: string;
  pid: number;
  /** Hub log lines at level warn or above (pino level >= 40) and stderr lines: how many, and the first few. */
  problems: { count: number; first: string[] };
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL at once (the bench's watchdog). */
  kill(): void;
}

export interface HubProcessOptions {
  databaseUrl: string;
  /** More environment for the hub, e.g. `MC_ADMIN_TOKEN`. */
  env?: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  startTimeoutMs?: number;
}

/** Starts `server/main.ts` as a child process and waits for its "listening" log line. */
export function startHubProcess(options: HubProcessOptions): Promise<HubProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    // The hub alone: a healer or a runner beside it would take CPU from the measurement (the spawn row starts its own runner).
    env: { ...process.env, MC_HEALER: 'off', MC_RUNNER: 'off', ...options.env, DATABASE_URL: options.databaseUrl, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const problems = { count: 0, first: [] as string[] };
  const problem = (line: string) => {
    problems.count += 1;
    if (problems.first.length < 20) problems.first.push(line);
  };
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 30) recent.shift();
  };
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return new Promise((resolve, reject) => {
    let started = false;
    const fail = (why: string) => {
      if (started) return;
      started = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}; last hub output:\n${recent.join('\n')}`));
    };
    const timer = setTimeout(() => fail(`the hub did not log "${listeningPrefix}" within ${options.startTimeoutMs ?? 30_000} ms`), options.startTimeoutMs ?? 30_000);
    child.once('error', (error) => fail(`the hub could not be spawned: ${error.message}`));
    child.once('exit', (code, signal) => fail(`the hub exited during start (code ${code}, signal ${signal})`));

    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      remember(line);
      problem(`stderr: ${line}`);
    });
    // The hub logs a line per request at info: after the start, only lines at warn or above
    // (pino level 40, 50, 60) are parsed, so reading the pipe costs the bench little.
    let carry = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      const text = carry + chunk;
      const end = text.lastIndexOf('\n');
      carry = end < 0 ? text : text.slice(end + 1);
      if (end < 0) return;
      const complete = text.slice(0, end);
      if (started && !/"level":[456]0/.test(complete)) return;
      for (const line of complete.split('\n')) {
        if (!started) remember(line);
        let entry: { level?: number; msg?: string; url?: string } | undefined;
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue;
        }
        if ((entry?.level ?? 0) >= 40) problem(line);
        if (!started && typeof entry?.msg === 'string' && entry.msg.startsWith(listeningPrefix) && typeof entry.url === 'string') {
          started = true;
          clearTimeout(timer);
          const url = new URL(entry.url);
          url.hostname = '127.0.0.1';
          resolve(handle(child, url.origin, problems, exited));
        }
      }
    });
  });
}

function handle(child: ChildProcess, url: string, problems: HubProcess['problems'], exited: Promise<number | null>): HubProcess {
  return {
    url,
    pid: child.pid!,
    problems,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), graceMs)))]);
      clearTimeout(timer);
      if (code !== 'timeout') return code;
      child.kill('SIGKILL');
      return exited;
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

import { type ChildProcess, spawn } from 'node:child_process';

/** A running child process and what it has written so far. */
export interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

export interface RunOptions {
  /** The whole environment of the child (not merged with this process's). */
  env: Record<string, string | undefined>;
  cwd?: string;
  /** Written to its stdin, which is then closed; unset: no stdin. */
  stdin?: string;
}

/** Starts `command args` as a real child process, collecting its output. */
export function startProcess(command: string, args: readonly string[], options: RunOptions): Run {
  const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  const run: Run = { child, stdout: '', stderr: '', exited: new Promise((r) => child.once('exit', (code) => r(code))) };
  child.stdout!.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  return run;
}

/** Runs a child process to its end: its exit code and output. */
export async function runProcess(command: string, args: readonly string[], options: RunOptions): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startProcess(command, args, options);
  const code = await run.exited;
  return { code, stdout: run.stdout, stderr: run.stderr };
}

const mcMain = ['--import', 'tsx', 'server/cli/main.ts'];

/** `mc` from the checkout as real child processes, with `env()` (read at each start) over this process's environment. */
export function mcProcesses(env: () => Record<string, string>) {
  const full = (extra: Record<string, string>) => ({ ...process.env, ...env(), ...extra });
  return {
    /** Starts `mc <args>`. */
    start: (args: string[], extra: Record<string, string> = {}): Run => startProcess(process.execPath, [...mcMain, ...args], { env: full(extra) }),
    /** Runs `mc <args>` to its end. */
    mc: (args: string[], extra: Record<string, string> = {}) => runProcess(process.execPath, [...mcMain, ...args], { env: full(extra) }),
  };
}

import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SystemAccount } from '../system-account.ts';

const shim = fileURLToPath(new URL('agent-shim.mjs', import.meta.url));

/** What to start: everything comes from the runner's own template, never from a request. */
export interface RunSpec {
  agentId: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env: Readonly<Record<string, string>>;
  /** `messages`: injected messages arrive on stdin, one JSON line each. */
  stdin: 'none' | 'messages';
  /** setrlimit limits, through prlimit where the platform has it. */
  limits?: { memoryMb?: number; cpuSeconds?: number; openFiles?: number };
}

const prlimit = ['/usr/bin/prlimit', '/bin/prlimit'].find((at) => existsSync(at));

/** The command and arguments that run `spec` under its resource limits (prlimit, without a shell); as given when it has none. */
export function limited(spec: Pick<RunSpec, 'command' | 'args' | 'limits'>): { command: string; args: readonly string[] } {
  const { memoryMb, cpuSeconds, openFiles } = spec.limits ?? {};
  const flags = [
    ...(memoryMb !== undefined ? [`--as=${memoryMb * 1024 * 1024}`] : []),
    ...(cpuSeconds !== undefined ? [`--cpu=${cpuSeconds}`] : []),
    ...(openFiles !== undefined ? [`--nofile=${openFiles}`] : []),
  ];
  if (flags.length === 0) return { command: spec.command, args: spec.args };
  if (prlimit === undefined) throw new Error('the template sets limits, and this platform has no prlimit to apply them (install util-linux, or drop limits)');
  return { command: prlimit, args: [...flags, '--', spec.command, ...spec.args] };
}

/** Where an agent's files are, in the runner's state directory: its output, its status, its stdin. */
export interface AgentFiles {
  dir: string;
  stdout: string;
  stderr: string;
  /** The shim's record: a line with the agent's pid, then one with how it ended. */
  status: string;
  stdin: string;
}

/** How an agent ended, as its shim recorded it. */
export interface AgentEnd {
  code: number | null;
  signal: string | null;
  /** Set when it never started. */
  error?: string;
}

/** An agent started: the shim that waits for it, the agent's own pid (its process group), and its own directory. */
export interface Started {
  shimPid: number;
  pid: number | undefined;
  /** A fresh directory of its own (its working directory when the template names none, and its HOME), removed when it ends. */
  ownDir: string;
}

export function agentFiles(stateDir: string, agentId: string): AgentFiles {
  const dir = path.join(stateDir, 'agents', agentId);
  return { dir, stdout: path.join(dir, 'stdout'), stderr: path.join(dir, 'stderr'), status: path.join(dir, 'status'), stdin: path.join(dir, 'stdin') };
}

/**
 * Starts an agent through its shim, without a shell, so arguments are never interpreted: in a
 * session and process group of its own (a runner that stops or crashes takes no agent along),
 * its output appended to files the runner follows, as `account` when given (the runner then
 * runs as root), else as the runner's own user.
 */
export async function launch(spec: RunSpec, files: AgentFiles, account: SystemAccount | undefined): Promise<Started> {
  mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  const ownDir = mkdtempSync(path.join(tmpdir(), 'mc-agent-'));
  if (account) chownSync(ownDir, account.uid, account.gid);
  if (spec.stdin === 'messages' && !existsSync(files.stdin)) execFileSync('mkfifo', ['-m', '600', files.stdin]);
  // Read and write: the agent's stdin never reaches its end while the runner is away.
  const stdin = spec.stdin === 'messages' ? openSync(files.stdin, constants.O_RDWR) : 'ignore';
  const stdout = openSync(files.stdout, 'a', 0o600);
  const stderr = openSync(files.stderr, 'a', 0o600);
  try {
    const env = account ? { ...spec.env, HOME: ownDir } : spec.env;
    const child = spawn(process.execPath, [shim], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', MC_SHIM_SPEC: JSON.stringify({ ...limited(spec), cwd: spec.cwd ?? ownDir, env, statusFile: files.status, ...(account ? { uid: account.uid, gid: account.gid } : {}) }) },
      stdio: [stdin, stdout, stderr],
      detached: true,
    });
    await Promise.race([once(child, 'spawn'), once(child, 'error').then(([error]) => Promise.reject(error))]);
    child.unref();
    const pid = await agentPid(files.status, child);
    return { shimPid: child.pid!, pid, ownDir };
  } catch (error) {
    rmSync(ownDir, { recursive: true, force: true });
    throw error;
  } finally {
    for (const fd of [stdin, stdout, stderr]) if (typeof fd === 'number') closeSync(fd);
  }
}

/** The agent's pid once the shim has recorded it; undefined when it could not start (the status says why). */
async function agentPid(statusFile: string, child: ReturnType<typeof spawn>): Promise<number | undefined> {
  for (let waited = 0; waited < 10_000; waited += 10) {
    const first = readStatus(statusFile)[0];
    if (first !== undefined) return typeof first.pid === 'number' ? first.pid : undefined;
    if (child.exitCode !== null) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return undefined;
}

/** The shim's records so far (none when it has written nothing). */
export function readStatus(statusFile: string): Array<Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(statusFile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** How the agent ended, once its shim has recorded it. */
export function endOf(statusFile: string): AgentEnd | undefined {
  const last = readStatus(statusFile).find((record) => 'code' in record);
  return last && { code: last.code as number | null, signal: last.signal as string | null, ...(typeof last.error === 'string' ? { error: last.error } : {}) };
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Signals the agent's whole process group (it may have started others); gone already is fine. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Ended meanwhile.
  }
}

/**
 * Hands the agent one line on its stdin (a FIFO it holds open); false when it takes no messages,
 * is gone, or does not read (a full pipe drops the message rather than block the runner).
 */
export function writeStdin(files: AgentFiles, line: string): boolean {
  let fd: number;
  try {
    fd = openSync(files.stdin, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch {
    return false;
  }
  try {
    const buffer = Buffer.from(`${line}\n`);
    for (let at = 0; at < buffer.length; ) at += writeSync(fd, buffer, at);
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

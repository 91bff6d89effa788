import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SystemAccount } from '../system-account.ts';
import { eachLine } from './output.ts';

/** What to start: everything comes from a configured template, never from a request. */
export interface RunSpec {
  agentId: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env: Readonly<Record<string, string>>;
  /** `messages`: injected messages arrive on stdin, one JSON line each. */
  stdin: 'none' | 'messages';
}

export interface AgentExit {
  code: number | null;
  signal: string | null;
}

/** A started agent process, whatever runs it. */
export interface AgentProcess {
  pid: number | undefined;
  /** Writes one line to the agent's stdin; false when it has none or it is closed. */
  writeLine(line: string): boolean;
  kill(signal: NodeJS.Signals): void;
  exited: Promise<AgentExit>;
}

/** Receives the agent's output, one line at a time. */
export type OutputSink = (stream: 'stdout' | 'stderr', line: string) => void;

/** Starts agents. The built-in one runs local child processes; a container or remote runner fits the same seam. */
export interface AgentRunner {
  readonly name: string;
  start(spec: RunSpec, output: OutputSink): Promise<AgentProcess>;
}

/**
 * Runs each agent as a local child process, without a shell, so arguments are never interpreted;
 * as `account` when given (the hub then runs as root), else as the hub's own user. Each agent
 * gets a fresh directory of its own (its working directory when the template names none, and its
 * HOME under `account`), removed when it ends.
 */
export function localRunner(account: SystemAccount | undefined): AgentRunner {
  return {
    name: 'local',
    async start(spec: RunSpec, output: OutputSink): Promise<AgentProcess> {
      const own = mkdtempSync(path.join(tmpdir(), 'mc-agent-'));
      if (account) chownSync(own, account.uid, account.gid);
      const removeOwn = () => rmSync(own, { recursive: true, force: true });
      const child = spawn(spec.command, spec.args, {
        cwd: spec.cwd ?? own,
        env: account ? { ...spec.env, HOME: own } : spec.env,
        shell: false,
        stdio: [spec.stdin === 'messages' ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        ...(account ? { uid: account.uid, gid: account.gid } : {}),
      });
      const exited = once(child, 'close').then(([code, signal]) => {
        removeOwn();
        return { code: code as number | null, signal: signal as string | null };
      });
      await Promise.race([once(child, 'spawn'), once(child, 'error').then(([error]) => (removeOwn(), Promise.reject(error)))]);
      eachLine(child.stdout!, (line) => output('stdout', line));
      eachLine(child.stderr!, (line) => output('stderr', line));
      child.stdin?.on('error', () => undefined);
      return {
        pid: child.pid,
        writeLine: (line) => (child.stdin && !child.stdin.destroyed ? (child.stdin.write(`${line}\n`), true) : false),
        kill: (signal) => void child.kill(signal),
        exited,
      };
    },
  };
}

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { AgentProcess, AgentRunner, OutputSink, RunSpec } from './runner.ts';

/** Runs each agent as a local child process, without a shell, so arguments are never interpreted. */
export const localRunner = {
  name: 'local',
  async start(spec: RunSpec, output: OutputSink): Promise<AgentProcess> {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      shell: false,
      stdio: [spec.stdin === 'messages' ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null }));
    await Promise.race([once(child, 'spawn'), once(child, 'error').then(([error]) => Promise.reject(error))]);
    createInterface({ input: child.stdout! }).on('line', (line) => output('stdout', line));
    createInterface({ input: child.stderr! }).on('line', (line) => output('stderr', line));
    child.stdin?.on('error', () => undefined);
    return {
      pid: child.pid,
      writeLine: (line) => (child.stdin && !child.stdin.destroyed ? (child.stdin.write(`${line}\n`), true) : false),
      kill: (signal) => void child.kill(signal),
      exited,
    };
  },
} satisfies AgentRunner;

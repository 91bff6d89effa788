// Waits for one agent, so its end is known even when the runner that started it is gone: the
// runner starts this shim in a session of its own, with the agent's stdin, stdout and stderr, and
// the shim records the agent's pid, then how it ended, in the status file (in the runner's state,
// which the agent, another user, cannot reach). Plain JavaScript, no dependencies: it starts fast
// and does nothing else. MC_SHIM_SPEC (JSON) says what to run:
// { command, args, cwd, env, uid?, gid?, statusFile }; the agent gets `env` alone.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const spec = JSON.parse(process.env.MC_SHIM_SPEC ?? '{}');
const record = (fields) => appendFileSync(spec.statusFile, `${JSON.stringify(fields)}\n`);
// Signals are for the agent's process group, which is not this one: the shim outlives them to say how it ended.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => undefined);

const agent = spawn(spec.command, spec.args, {
  cwd: spec.cwd,
  env: spec.env,
  stdio: 'inherit',
  // A process group of its own, so a stop reaches everything the agent started.
  detached: true,
  ...(spec.uid !== undefined ? { uid: spec.uid, gid: spec.gid } : {}),
});
agent.once('spawn', () => record({ pid: agent.pid }));
agent.once('error', (error) => {
  record({ code: null, signal: null, error: `could not start: ${error.message}` });
  process.exit(0);
});
agent.once('exit', (code, signal) => {
  record({ code, signal });
  process.exit(0);
});

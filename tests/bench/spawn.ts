import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubClient } from '../../server/client/hub-client.ts';
import type { EventEnvelope } from '../../server/client/views.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The template the bench spawns: a Node process that prints one line and exits. */
export const benchTemplate = { command: process.execPath, args: ['-e', 'console.log("up")'] };

export interface SpawnLatency {
  /** From `agent.spawn_requested` to `agent.spawned` in the log (the database's clock), per spawn. */
  p50Ms: number;
  p95Ms: number;
  /** The peer: this process spawning the same command and reading its first line, per spawn. */
  peerP50Ms: number;
  count: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

/**
 * Spawn-to-running latency through a runner: a runner process (server/runner/main.ts) registers
 * with the hub, then `count` agents are spawned one after another, each timed from its spawn
 * request to the runner's `agent.spawned`, both as the log records them. The peer is the bare
 * cost of the same process: spawning it here and reading its first line of output.
 */
export async function runSpawnLatency(hubUrl: string, adminToken: string, configFile: string, count: number): Promise<SpawnLatency> {
  const admin = new HubClient({ url: hubUrl, token: adminToken });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-bench-runner-'));
  const tokenFile = path.join(dir, 'token');
  writeFileSync(tokenFile, (await admin.tokens.create({ role: 'runner', name: 'bench runner' })).token, { mode: 0o600 });
  const runner = spawn(process.execPath, ['--import', 'tsx', 'server/runner/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, MC_HUB_URL: hubUrl, MC_RUNNER_TOKEN_FILE: tokenFile, MC_CONFIG: configFile, MC_RUNNER_STATE: path.join(dir, 'state'), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    await until(async () => (await admin.runners.list()).some((r) => r.status === 'online'), 30_000);
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      const { agentId } = await admin.agents.spawn({ template: 'bench' });
      const events = await until(async () => {
        const found: EventEnvelope[] = [];
        for await (const event of admin.events.list({ agent: agentId, types: ['agent.spawn_requested', 'agent.spawned', 'agent.exited'] })) found.push(event);
        return found.some((e) => e.type === 'agent.exited') ? found : undefined;
      }, 30_000);
      const at = (type: string) => Date.parse(events.find((e) => e.type === type)!.recordedAt);
      latencies.push(at('agent.spawned') - at('agent.spawn_requested'));
    }
    const peer: number[] = [];
    for (let i = 0; i < count; i++) peer.push(await firstLineMs(spawn(benchTemplate.command, benchTemplate.args, { stdio: ['ignore', 'pipe', 'ignore'] })));
    latencies.sort((a, b) => a - b);
    peer.sort((a, b) => a - b);
    return { p50Ms: percentile(latencies, 0.5), p95Ms: percentile(latencies, 0.95), peerP50Ms: percentile(peer, 0.5), count };
  } finally {
    runner.kill('SIGTERM');
    await once(runner, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function firstLineMs(child: ChildProcess): Promise<number> {
  const started = performance.now();
  await once(child.stdout!, 'data');
  const took = performance.now() - started;
  await once(child, 'exit');
  return took;
}

async function until<T>(check: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; await new Promise((r) => setTimeout(r, 20))) {
    const found = await check();
    if (found) return found;
  }
  throw new Error(`not within ${timeoutMs} ms`);
}

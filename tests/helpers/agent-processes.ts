import type { TestHub } from './hub.ts';

/** The pids of every agent process `hub` started, from its `agent.spawned` events. */
export async function spawnedPids(hub: TestHub): Promise<number[]> {
  const pids: number[] = [];
  for await (const event of hub.client.events.list({ types: ['agent.spawned'], limit: 1000 })) {
    if (typeof event.data.pid === 'number') pids.push(event.data.pid);
  }
  return pids;
}

/** True while a process with this pid runs. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids among `pids` still running after a short grace. */
export async function stillAlive(pids: number[], graceMs = 3000): Promise<number[]> {
  for (const started = Date.now(); Date.now() - started < graceMs && pids.some(alive); ) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(alive);
}

/** Closes `hub` and returns the agent processes it started that outlived it (killed, so none lingers). */
export async function closeAndFindLeftovers(hub: TestHub): Promise<number[]> {
  const pids = await spawnedPids(hub);
  await hub.close();
  const leftovers = await stillAlive(pids);
  for (const pid of leftovers) process.kill(pid, 'SIGKILL');
  return leftovers;
}

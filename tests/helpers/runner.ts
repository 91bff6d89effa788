import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Logger, pino } from 'pino';
import { HubClient } from '../../server/client/hub-client.ts';
import type { HubConfig } from '../../server/config.ts';
import { Runner, agentIdentity } from '../../server/runner/runner.ts';

export interface TestRunner {
  runner: Runner;
  stateDir: string;
  /** Closes the runner; with `agents: 'kill'` (the default) its agents go too, so a test leaves no process behind. */
  close(agents?: 'kill' | 'leave'): Promise<void>;
}

/**
 * A runner in the test's process, talking to the hub over HTTP with a runner token, starting its
 * agents as real processes through their shim, as its own user (as root, `runner.runAs`), the
 * way the service does; its state in a fresh directory.
 */
export async function testRunner(hubUrl: string, token: string, config: HubConfig, logger: Logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })): Promise<TestRunner> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'mc-runner-'));
  const runner = new Runner({ client: new HubClient({ url: hubUrl, token }), hubUrl, config, stateDir, ...agentIdentity(config, logger), environment: process.env, logger });
  await runner.start();
  await runner.registered;
  return {
    runner,
    stateDir,
    async close(agents = 'kill') {
      if (agents === 'kill') await runner.closeWithAgents();
      else await runner.close();
      if (agents === 'kill') rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

import path from 'node:path';
import { pino } from 'pino';
import { loadContracts } from '../../contracts/index.ts';
import { HubClient } from '../client/hub-client.ts';
import { secretSetting } from '../client/secret-setting.ts';
import { parseConfigFile } from '../config-file.ts';
import { defaultConfig, withOverrides } from '../config.ts';
import { readConfigFile } from '../process/config-text.ts';
import { shutdownOnce } from '../process/shutdown.ts';
import { templateCwdProblem } from './rules.ts';
import { Runner, agentIdentity, allowedTemplates } from './runner.ts';

// The runner's composition root: the only runner file that reads the environment.
const logger = pino({ name: 'runner', level: process.env.LOG_LEVEL ?? 'info' });

async function main(): Promise<void> {
  // Read once, at the start; its agents, another user, can read neither this process's environment nor its files.
  const token = secretSetting(process.env, 'MC_RUNNER_TOKEN');
  if (!token) throw new Error('MC_RUNNER_TOKEN_FILE (a file holding it) or MC_RUNNER_TOKEN is not set: it must hold a token the hub minted for role runner');
  const configFile = process.env.MC_CONFIG;
  const config = configFile ? withOverrides(defaultConfig, parseConfigFile(loadContracts(), readConfigFile(configFile), `MC_CONFIG ${configFile}`)) : defaultConfig;
  const hubUrl = process.env.MC_HUB_URL || 'http://localhost:8787';
  const stateDir = path.resolve(process.env.MC_RUNNER_STATE || '.mission-control/runner');
  const templates = allowedTemplates(config);
  for (const [dir, what] of [[stateDir, 'the runner state directory'], ...(process.env.MC_DATA_DIR ? [[path.resolve(process.env.MC_DATA_DIR), 'the data directory']] : [])] as const) {
    const problem = templateCwdProblem(dir, what, templates);
    if (problem) throw new Error(problem);
  }
  const runner = new Runner({ client: new HubClient({ url: hubUrl, token: token.value }), hubUrl, config, stateDir, ...agentIdentity(config, logger), environment: process.env, logger });
  await runner.start();
  logger.info({ hubUrl, stateDir, templates: Object.keys(templates) }, `runner ${config.runner.name} started`);
  // A stop (an upgrade, a restart) leaves the agents running: the next start adopts them.
  const shutdown = shutdownOnce(logger, () => runner.close());
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // One line that says what and how to fix it; the stack only for those who asked for it.
  logger.fatal(logger.isLevelEnabled('debug') ? { err: error } : {}, `the runner could not start: ${(error as Error).message}`);
  process.exit(1);
});

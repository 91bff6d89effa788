import { parseArgs } from 'node:util';
import type { RetryPolicy } from '../client/backoff.ts';
import { HubClient } from '../client/hub-client.ts';
import { agentsCommand } from './agents.ts';
import { budgetsCommand } from './budgets.ts';
import { cancelCommand } from './cancel.ts';
import { type Command, ExitCode, UsageError } from './command.ts';
import { decideCommand } from './decide.ts';
import { decisionsCommand } from './decisions.ts';
import { emitCommand } from './emit.ts';
import { hookCommand } from './hook.ts';
import { injectCommand } from './inject.ts';
import { mcpCommand } from './mcp.ts';
import { mergeCommand } from './merge.ts';
import { peopleCommand } from './people.ts';
import { pauseCommand, resumeCommand, stopCommand } from './pause.ts';
import { policyCommand } from './policy.ts';
import { resolveCommand } from './resolve.ts';
import { runnersCommand } from './runners.ts';
import { setupCommand } from './setup.ts';
import { spawnCommand } from './spawn.ts';
import { tailCommand } from './tail.ts';
import { tasksCommand } from './tasks.ts';
import { tokensCommand } from './tokens.ts';
import { webhooksCommand } from './webhooks.ts';
import { whoamiCommand } from './whoami.ts';

export const commands: readonly Command[] = [
  tailCommand,
  emitCommand,
  decideCommand,
  decisionsCommand,
  resolveCommand,
  cancelCommand,
  spawnCommand,
  injectCommand,
  agentsCommand,
  pauseCommand,
  resumeCommand,
  stopCommand,
  mergeCommand,
  runnersCommand,
  tasksCommand,
  budgetsCommand,
  tokensCommand,
  webhooksCommand,
  peopleCommand,
  whoamiCommand,
  hookCommand,
  setupCommand,
  policyCommand,
  mcpCommand,
];

/** What the composition root read from the environment. */
export interface CliSettings {
  hubUrl: string;
  token: string | undefined;
  /** The package version `mc --version` prints. */
  version: string;
  /** A shell command line that runs this `mc`, with absolute paths. */
  self: string;
  fetch?: typeof fetch;
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  signal: AbortSignal;
  stdin(): Promise<string>;
}

// A person is waiting: a hub that is down is reported after about a second, not after a minute.
const cliRetry: RetryPolicy = { attempts: 3, baseMs: 300, maxMs: 2000 };

/** Runs one `mc` command line and returns the exit code; every failure is one line on stderr. */
export async function runCli(argv: readonly string[], settings: CliSettings, io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const command = commands.find((c) => c.name === rest[0]);
    (name === undefined ? io.err : io.out)(command ? commandHelp(command) : overview(settings));
    return name === undefined ? ExitCode.failed : ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    io.out(`mc ${settings.version}`);
    return ExitCode.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`mc: no command "${name}"; commands: ${commands.map((c) => c.name).join(', ')} (mc --help)`);
    return ExitCode.failed;
  }
  try {
    const { values, positionals } = parseArgs({ args: [...rest], options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
    if (values.help) {
      io.out(commandHelp(command));
      return ExitCode.ok;
    }
    if (!settings.token) throw new Error('MC_TOKEN is not set: export MC_TOKEN=<token> (an admin mints one with POST /tokens)');
    const client = new HubClient({ url: settings.hubUrl, token: settings.token, fetch: settings.fetch, retry: cliRetry });
    return await command.run({ client, out: io.out, err: io.err, signal: io.signal, stdin: io.stdin, self: settings.self }, values, positionals);
  } catch (error) {
    if (io.signal.aborted) return ExitCode.interrupted;
    const usage = error instanceof UsageError || (error as { code?: unknown }).code?.toString().startsWith('ERR_PARSE_ARGS');
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
    io.err(usage ? `mc ${name}: ${message} (mc ${name} --help)` : `mc: ${message}`);
    return command.failureCode ?? ExitCode.failed;
  }
}

function overview(settings: CliSettings): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `mc: the Mission Control command line

Usage: mc <command> [options]    (mc <command> --help for its options; mc --version)

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Environment:
  MC_HUB_URL   the hub (now: ${settings.hubUrl})
  MC_TOKEN     a bearer token (operator, or the agent's own token)

Exit codes: 0 done, 3 failed (the hub is down, the token is refused, bad arguments);
mc decide: 0 approved, 1 denied, 2 expired.`;
}

function commandHelp(command: Command): string {
  return `Usage: ${command.usage}\n\n${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.\n\n${command.help}`;
}

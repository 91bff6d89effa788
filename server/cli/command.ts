import type { ParseArgsConfig } from 'node:util';
import type { HubClient } from '../client/hub-client.ts';

/** What `mc` exits with; `mc decide` tells the answer apart, every failure is 3. */
export const ExitCode = { ok: 0, denied: 1, expired: 2, failed: 3, interrupted: 130 } as const;

/** What a command runs with, handed in by the composition root. */
export interface CommandContext {
  client: HubClient;
  out(line: string): void;
  err(line: string): void;
  /** Aborted on SIGINT or SIGTERM. */
  signal: AbortSignal;
  /** Everything on standard input (for `mc hook`, the hook input). */
  stdin(): Promise<string>;
  /** A shell command line that runs this very `mc`, with absolute paths (what `mc setup` writes into hooks). */
  self: string;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** One `mc` command: its help, its options (node:util parseArgs), and what it does. */
export interface Command {
  name: string;
  summary: string;
  /** The synopsis, e.g. `mc inject <agent> <message>`. */
  usage: string;
  /** The rest of `--help`: what it does and what each option means. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** The exit code of every failure, bad arguments and a missing token included (default: ExitCode.failed). */
  failureCode?: number;
  run(ctx: CommandContext, values: OptionValues, positionals: string[]): Promise<number>;
}

/** Bad arguments: `mc` prints the message and points at `--help`. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The option as a string, or undefined when not given. */
export function text(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A whole number from `min` up, or a UsageError naming the option. */
export function wholeNumber(value: string | undefined, name: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) < min) throw new UsageError(`${name} must be a whole number from ${min} up, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Parses JSON given on the command line, or a UsageError naming the argument. */
export function jsonArgument(value: string, name: string): unknown {
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new UsageError(`${name} is not valid JSON (${(error as Error).message}): ${value.slice(0, 60)}`);
  }
}

/** Exactly `names.length` positionals, or a UsageError saying which are missing or extra. */
export function positional(positionals: string[], ...names: string[]): string[] {
  if (positionals.length < names.length) throw new UsageError(`missing ${names.slice(positionals.length).map((n) => `<${n}>`).join(' ')}`);
  if (positionals.length > names.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[names.length])} (quote a value with spaces)`);
  return positionals;
}

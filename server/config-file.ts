import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Contracts } from '../contracts/index.ts';
import type { ConfigOverrides } from './config.ts';

/** The text of the config file `MC_CONFIG` names; a file that cannot be read is an error saying which and why. */
export function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`MC_CONFIG names ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): fix the path, or unset MC_CONFIG for the defaults`);
  }
}

/** A config file's content as YAML (JSON is YAML too); a syntax error is an error naming the file and the line. */
export function parseConfigText(text: string, source: string): unknown {
  try {
    return parseYaml(text) ?? {};
  } catch (error) {
    throw new Error(`${source} is not valid YAML or JSON: ${(error as Error).message.split('\n', 1)[0]}`);
  }
}

/** Parses a config file (YAML or JSON) and checks it against `config/hub-config.schema.json`; throws a message naming the bad field. */
export function parseConfigFile(contracts: Contracts, text: string, source: string): ConfigOverrides {
  const parsed = parseConfigText(text, source);
  const problems = contracts.check('config/hub-config.schema.json', parsed);
  if (problems.length > 0) {
    throw new Error(`${source}: ${problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`);
  }
  return parsed as ConfigOverrides;
}

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

// The hub and the healer read the same config file, each its own section of it.

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

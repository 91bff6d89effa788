import { readFileSync } from 'node:fs';

/** A secret from the environment, and where it came from, so a child process can be handed the file rather than the value. */
export interface SecretSetting {
  value: string;
  /** The file it was read from (`<NAME>_FILE`, or one kept in the data directory). */
  file?: string;
}

/**
 * Reads secret `name` from `env`: the content of the file `<name>_FILE` names (its last line
 * break dropped), else the variable itself; undefined when neither is set. Both set is an error,
 * since one of them would silently win.
 */
export function secretSetting(env: Readonly<Record<string, string | undefined>>, name: string): SecretSetting | undefined {
  const file = env[`${name}_FILE`] || undefined;
  const value = env[name] || undefined;
  if (file && value) throw new Error(`${name} and ${name}_FILE are both set: set only one (${name}_FILE keeps the secret out of the process environment)`);
  if (!file) return value === undefined ? undefined : { value };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${name}_FILE names ${file}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const content = text.replace(/\r?\n$/, '');
  if (!content) throw new Error(`${name}_FILE names ${file}, which is empty`);
  return { value: content, file };
}

/** How to hand `setting` to a child process as `name`: by its file when it has one, so the child's environment holds no secret. */
export function secretEnvironment(name: string, setting: SecretSetting | undefined): Record<string, string> {
  if (!setting) return {};
  return setting.file ? { [`${name}_FILE`]: setting.file } : { [name]: setting.value };
}

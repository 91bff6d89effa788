import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SecretSetting } from './client/secret-setting.ts';

/** Makes the data directory if missing and closes it to everyone but the hub's user (0700), each time it is used. */
export function ensureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** A secret kept in the data directory `dir`, which must exist (mode 0600), made by `make` the first time. */
export function localSecret(dir: string, name: string, make: () => string): SecretSetting {
  const file = path.join(dir, name);
  if (!existsSync(file)) writeFileSync(file, make(), { mode: 0o600 });
  chmodSync(file, 0o600);
  return { value: readFileSync(file, 'utf8').trim(), file };
}

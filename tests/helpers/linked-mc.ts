import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

/** The checkout's root directory. */
export const repository = fileURLToPath(new URL('../..', import.meta.url));

export interface OutsideCheckout {
  /** The directory itself, outside the checkout: a working directory and HOME. */
  dir: string;
  /** Holds `mc`, a symlink to server/cli/mc.mjs as `npm link` makes it. */
  withMc: string;
  /** Holds node, bash, cat and jq, and no `mc`. */
  tools: string;
}

/**
 * A directory outside the checkout, as a user's machine has it after `npm link`, removed after
 * the calling scope: put `withMc` and `tools` on PATH for `mc`, only `tools` for a machine without it.
 */
export function outsideCheckout(): OutsideCheckout {
  const dir = mkdtempSync(join(tmpdir(), 'mc-outside-'));
  const withMc = join(dir, 'bin');
  const tools = join(dir, 'tools');
  mkdirSync(withMc);
  mkdirSync(tools);
  symlinkSync(join(repository, 'server/cli/mc.mjs'), join(withMc, 'mc'));
  symlinkSync(process.execPath, join(tools, 'node'));
  for (const name of ['bash', 'cat', 'jq']) symlinkSync(onPath(name), join(tools, name));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, withMc, tools };
}

/** Where `name` is on this process's PATH. */
function onPath(name: string): string {
  const found = (process.env.PATH ?? '').split(':').map((dir) => join(dir, name)).find((path) => existsSync(path));
  if (found === undefined) throw new Error(`${name} is not on PATH; the tests of mc outside the checkout need it`);
  return found;
}

import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
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
  for (const [name, target] of [['node', process.execPath], ['bash', '/usr/bin/bash'], ['cat', '/usr/bin/cat'], ['jq', '/usr/bin/jq']] as const) {
    symlinkSync(target, join(tools, name));
  }
  after(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, withMc, tools };
}

import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentTemplate } from '../../server/config.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A template that runs `tests/fixtures/agents/<name>.ts` with this Node and tsx. */
export function fixtureTemplate(name: string, extra: Partial<AgentTemplate> = {}): AgentTemplate {
  return { command: process.execPath, args: ['--import', 'tsx', `tests/fixtures/agents/${name}.ts`], cwd: repoRoot, ...extra };
}

/** A fresh directory that agents may write in too (as root, the hub runs them as a user of their own), sticky like /tmp. */
export function agentWritableDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  chmodSync(dir, 0o1777);
  return dir;
}

import { fileURLToPath } from 'node:url';
import type { AgentTemplate } from '../../server/config.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A template that runs `tests/fixtures/agents/<name>.ts` with this Node and tsx. */
export function fixtureTemplate(name: string, extra: Partial<AgentTemplate> = {}): AgentTemplate {
  return { command: process.execPath, args: ['--import', 'tsx', `tests/fixtures/agents/${name}.ts`], cwd: repoRoot, ...extra };
}

import { parse as parseYaml } from 'yaml';
import type { Contracts } from '../contracts/index.ts';
import type { ConfigOverrides } from './config.ts';

/** Parses a config file (YAML or JSON) and checks it against `mc:config`; throws a message naming the bad field. */
export function parseConfigFile(contracts: Contracts, text: string, source: string): ConfigOverrides {
  const parsed: unknown = parseYaml(text) ?? {};
  const problems = contracts.check('mc:config', parsed);
  if (problems.length > 0) {
    throw new Error(`${source}: ${problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`);
  }
  return parsed as ConfigOverrides;
}

import type { Contracts } from '../contracts/index.ts';
import type { ConfigOverrides } from './config.ts';
import { parseConfigText } from './process/config-text.ts';

/** Parses a config file (YAML or JSON) and checks it against `config/hub-config.schema.json`; throws a message naming the bad field. */
export function parseConfigFile(contracts: Contracts, text: string, source: string): ConfigOverrides {
  const parsed = parseConfigText(text, source);
  const problems = contracts.check('config/hub-config.schema.json', parsed);
  if (problems.length > 0) {
    throw new Error(`${source}: ${problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`);
  }
  return parsed as ConfigOverrides;
}

import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseConfigText } from '../process/config-text.ts';
import { defaultPlaybooks } from './default-playbooks.ts';
import type { HealAction } from '../../contracts/vocabulary.ts';
import { type HealerConfig, type HealerPlaybook, playbookDefaults } from './playbook.ts';

/** The `healer` section as written in the file: defaults not yet applied. */
interface HealerSection {
  playbooks?: Array<{
    name: string;
    match: { type?: string; errorPattern?: string; exitCode?: number; template?: string };
    action: HealAction;
    maxAttempts?: number;
    backoffMs?: number;
  }>;
  watchTypes?: string[];
  forgetAfterMs?: number;
}

const schema = JSON.parse(readFileSync(new URL('./config.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile<HealerSection>(schema);

/** A day: a lineage with no failure for that long has healed. */
const defaultForgetAfterMs = 86_400_000;

/** The healer's config when there is no config file: the default playbooks. */
export const defaultHealerConfig: HealerConfig = { playbooks: [...defaultPlaybooks], watchTypes: [], forgetAfterMs: defaultForgetAfterMs };

/**
 * Reads the healer's section of a config file (YAML or JSON; other sections belong to the hub),
 * checks it against `config.schema.json` and applies the defaults. Throws a message naming the bad field.
 */
export function parseHealerConfig(text: string, source: string): HealerConfig {
  const file = parseConfigText(text, source);
  if (typeof file !== 'object' || Array.isArray(file) || file === null) throw new Error(`${source}: the config file must hold an object`);
  const section: unknown = (file as Record<string, unknown>).healer ?? {};
  if (!validate(section)) throw new Error(`${source}: ${(validate.errors ?? []).map(describe).join('; ')}`);
  const names = new Set<string>();
  const playbooks = (section.playbooks ?? []).map((p, index): HealerPlaybook => {
    const where = `${source}: /healer/playbooks/${index}`;
    if (names.has(p.name)) throw new Error(`${where}/name "${p.name}" is used by an earlier playbook; names must be unique`);
    names.add(p.name);
    if (p.match.errorPattern !== undefined) checkPattern(p.match.errorPattern, `${where}/match/errorPattern`);
    return {
      name: p.name,
      match: { ...p.match, type: p.match.type ?? playbookDefaults.type },
      action: p.action,
      maxAttempts: p.maxAttempts ?? playbookDefaults.maxAttempts,
      backoffMs: p.backoffMs ?? playbookDefaults.backoffMs,
    };
  });
  return {
    playbooks: playbooks.length > 0 ? playbooks : [...defaultPlaybooks],
    watchTypes: section.watchTypes ?? [],
    forgetAfterMs: section.forgetAfterMs ?? defaultForgetAfterMs,
  };
}

/** Every event type the healer follows: failures (agent.failed, watched, named by a playbook), decision outcomes and clean exits. */
export function followedTypes(config: HealerConfig): string[] {
  const failures = ['agent.failed', ...config.watchTypes, ...config.playbooks.map((p) => p.match.type)];
  return [...new Set([...failures, 'decision.resolved', 'decision.expired', 'decision.cancelled', 'agent.exited'])];
}

function checkPattern(pattern: string, where: string): void {
  try {
    new RegExp(pattern);
  } catch (error) {
    throw new Error(`${where} is not a regular expression: ${(error as Error).message}`);
  }
}

function describe(error: ErrorObject): string {
  const path = `/healer${error.instancePath}`;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `${path} has an unknown property "${String(params.additionalProperty)}"`;
  if (error.keyword === 'enum') return `${path} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
  return `${path} ${error.message ?? 'is invalid'}`;
}

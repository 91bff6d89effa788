import path from 'node:path';
import type { PolicyRules } from '../../contracts/api-views.ts';
import type { PolicyRule, PolicyVerdict, ToolCall } from './model.ts';
import { redExamples, shippedRules } from './shipped.ts';

/** Where a rule comes from: an operator's "allow from now on", the config file, or the shipped set. */
export type RuleSource = PolicyRules['rules'][number]['source'];

/** A rule ready to check: its regular expressions compiled once. */
export interface CompiledRule {
  rule: PolicyRule;
  source: RuleSource;
  tool?: RegExp;
  command?: RegExp;
  path?: RegExp;
}

/** The rules in the order they are checked: learned ones, the config file's, then the shipped set (unless turned off). */
export interface PolicySet {
  learned: readonly CompiledRule[];
  configured: readonly CompiledRule[];
}

/** Compiles rules; a broken regular expression throws, naming the rule, the field and the error. */
export function compileRules(rules: readonly PolicyRule[], source: RuleSource): CompiledRule[] {
  return rules.map((rule) => {
    const compiled: CompiledRule = { rule, source };
    const match = rule.match ?? {};
    // The tool name is matched whole (`Edit` is not `NotebookEdit`); commands and paths are searched.
    if (match.tool !== undefined) compiled.tool = regex(rule.name, 'tool', `^(?:${match.tool})$`, '');
    if (match.command !== undefined) compiled.command = regex(rule.name, 'command', match.command, 'i');
    if (match.path !== undefined) compiled.path = regex(rule.name, 'path', match.path, 'i');
    return compiled;
  });
}

function regex(rule: string, field: string, source: string, flags: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new Error(`policy rule "${rule}": match.${field} is not a valid regular expression: ${(error as Error).message}`);
  }
}

const compiledShipped = compileRules(shippedRules, 'shipped');

/** The config file's rules followed by the shipped ones (when `shipped` is not false). */
export function configuredRules(policies: { rules: readonly PolicyRule[]; shipped: boolean }): CompiledRule[] {
  return [...compileRules(policies.rules, 'config'), ...(policies.shipped ? compiledShipped : [])];
}

/** The command a call runs (Bash), if any. */
export function commandOf(call: ToolCall): string | undefined {
  return typeof call.input.command === 'string' ? call.input.command : undefined;
}

/** The file a call touches (Edit, Write, Read, NotebookEdit...), if any. */
export function pathOf(call: ToolCall): string | undefined {
  for (const field of ['file_path', 'notebook_path', 'path']) {
    const value = call.input[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** True when `file` lies outside `cwd` (a relative path is taken from `cwd`). */
export function outside(file: string, cwd: string): boolean {
  const relative = path.relative(path.resolve(cwd), path.resolve(cwd, file));
  return relative.startsWith('..') || path.isAbsolute(relative);
}

function matches(compiled: CompiledRule, call: ToolCall): boolean {
  const match = compiled.rule.match ?? {};
  const agent = call.agent;
  if (match.agent !== undefined && agent?.id !== match.agent && agent?.name !== match.agent) return false;
  if (match.template !== undefined && agent?.template !== match.template) return false;
  if (match.project !== undefined && agent?.projectId !== match.project) return false;
  if (match.risk !== undefined && (call.risk === undefined || !match.risk.includes(call.risk))) return false;
  if (compiled.tool && !compiled.tool.test(call.tool)) return false;
  const command = commandOf(call);
  if (compiled.command && (command === undefined || !compiled.command.test(command))) return false;
  const file = pathOf(call);
  if (compiled.path && (file === undefined || !compiled.path.test(file))) return false;
  if (match.outsideWorkspace !== undefined) {
    if (file === undefined || call.cwd === undefined || outside(file, call.cwd) !== match.outsideWorkspace) return false;
  }
  return true;
}

/** The rules as `GET /policies` lists them: in the order `evaluate` checks them. */
export function listRules(set: PolicySet): PolicyRules['rules'] {
  return [...set.learned, ...set.configured].map(({ rule, source }) => ({
    name: rule.name,
    source,
    verdict: rule.verdict,
    match: rule.match ?? {},
    message: rule.message ?? null,
  }));
}

/** The first rule that matches decides; when none does, the call is high (one operator answers). */
export function evaluate(set: PolicySet, call: ToolCall): PolicyVerdict {
  for (const compiled of [...set.learned, ...set.configured]) {
    if (!matches(compiled, call)) continue;
    const { name, verdict, message } = compiled.rule;
    return { rule: name, verdict, reason: message ?? `rule "${name}" says ${verdict}`, source: compiled.source };
  }
  return { rule: 'unmatched', verdict: 'high', reason: 'no rule matches this call, so an operator decides', source: 'fallback' };
}

/**
 * Warnings for a rule set that lets through what the shipped red rules hold back: for each red
 * example, the config rule that allows it before the red rule is reached.
 */
export function permissiveRules(configured: readonly CompiledRule[]): string[] {
  const warnings: string[] = [];
  for (const example of redExamples) {
    const verdict = evaluate({ learned: [], configured }, { tool: example.tool, input: example.input });
    if (verdict.source === 'config' && (verdict.verdict === 'allow' || verdict.verdict === 'low')) {
      warnings.push(`policy rule "${verdict.rule}" ${verdict.verdict === 'allow' ? 'allows' : 'approves'} ${describe(example)}, which the shipped rule "${example.rule}" holds red`);
    }
  }
  return warnings;
}

function describe(example: (typeof redExamples)[number]): string {
  return typeof example.input.command === 'string' ? `\`${example.input.command}\`` : `${example.tool} of ${String(example.input.file_path)}`;
}

/** `text` as a regular expression that matches it literally. */
function literally(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The rule an approval "from now on" adds: the same tool with the same command or file, for the
 * asking agent, its project or everyone; named after the decision, so a replay adds it once.
 */
export function ruleFromApproval(decision: { id: string; agentId: string | null; projectId: string }, call: Pick<ToolCall, 'tool' | 'input'>, scope: 'agent' | 'project' | 'everyone', by: string): PolicyRule {
  const command = commandOf({ ...call });
  const file = pathOf({ ...call });
  const match: NonNullable<PolicyRule['match']> = { tool: literally(call.tool) };
  if (command !== undefined) match.command = `^${literally(command)}$`;
  else if (file !== undefined) match.path = `^${literally(file)}$`;
  if (scope === 'agent' && decision.agentId !== null) match.agent = decision.agentId;
  if (scope === 'project') match.project = decision.projectId;
  return { name: `from-${decision.id}`, match, verdict: 'allow', message: `allowed from now on by ${by} (decision ${decision.id})` };
}

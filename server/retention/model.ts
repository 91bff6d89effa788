/**
 * The types retention may take out of the hot log: those no view is built from, but as its
 * agent's activity (the agents view folds any event of an agent into when it was first and last
 * seen, so the job keeps each agent's first and last event wherever it is). Everything else, the
 * events the views fold (agent lifecycle, tasks, decisions, budgets, runners, policies), stays in
 * the log for good, so a rebuild after retention gives the same views.
 */
const retainableTypes = ['agent.output'];
const retainablePrefixes = ['tool.', 'session.', 'x.'];
const retainableNames = [...retainableTypes, ...retainablePrefixes.map((p) => `${p}*`)].join(', ');

/** Less than this, and a tool call could leave the log while its decision still waits (it reads the call). */
const shortestAgeMs = 24 * 3_600_000;

/** One `retention` entry of the config file: a type, or a prefix ending in `*`, and its age. */
export interface RetentionRule {
  /** As written: `agent.output`, `tool.*`. */
  pattern: string;
  ageMs: number;
}

/** Parses and checks the config file's `retention` map; throws naming the entry when one is refused. */
export function retentionRules(config: Readonly<Record<string, string>>, knownTypes: readonly string[]): RetentionRule[] {
  return Object.entries(config).map(([pattern, age]) => {
    const where = `retention "${pattern}"`;
    const prefix = pattern.endsWith('*') ? pattern.slice(0, -1) : undefined;
    if (prefix === undefined && !pattern.startsWith('x.') && !knownTypes.includes(pattern)) {
      throw new Error(`${where}: no such event type; custom types start with "x."`);
    }
    // A prefix is allowed when every type it can name is: custom types all start with "x.".
    const allowed = prefix === undefined ? isRetainable(pattern) : retainablePrefixes.some((r) => prefix.startsWith(r)) || retainableTypes.some((t) => prefix.startsWith(t));
    if (!allowed) throw new Error(`${where}: events a view is built from stay in the log; retention takes only ${retainableNames} or types under them`);
    const ageMs = ageOf(age);
    if (ageMs < shortestAgeMs) throw new Error(`${where}: "${age}" is under 24h; keep events at least a day (a waiting decision reads its tool call)`);
    return { pattern, ageMs };
  });
}

function isRetainable(type: string): boolean {
  return retainableTypes.includes(type) || retainablePrefixes.some((r) => type.startsWith(r) && type.length > r.length);
}

/** `36h` or `14d` in milliseconds (the config schema admits only these forms). */
export function ageOf(age: string): number {
  const match = /^([1-9][0-9]{0,4})(h|d)$/.exec(age);
  if (!match) throw new Error(`"${age}" is not an age such as 36h or 14d`);
  return Number(match[1]) * (match[2] === 'd' ? 24 : 1) * 3_600_000;
}

/** The rule for `type`: an exact entry first, else the longest prefix; undefined when none names it. */
export function ruleFor(rules: readonly RetentionRule[], type: string): RetentionRule | undefined {
  const exact = rules.find((r) => r.pattern === type);
  if (exact) return exact;
  const prefixed = rules.filter((r) => r.pattern.endsWith('*') && type.startsWith(r.pattern.slice(0, -1)));
  return prefixed.sort((a, b) => b.pattern.length - a.pattern.length)[0];
}

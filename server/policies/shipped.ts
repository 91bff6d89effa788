import type { PolicyRule } from './model.ts';

// One command, without chaining, pipes, redirection or substitution: what the read-only and test
// rules allow must be all the line does.
const alone = String.raw`[^;&|<>\x60$\n]*$`;
const editTools = 'Edit|MultiEdit|Write|NotebookEdit';

/**
 * The rules a hub ships with, checked after the config file's. Red first: what cannot be undone
 * (force-push, recursive deletes, dropped databases, secrets, files outside the workspace); then
 * what only reads or runs the tests is allowed; everything else is high.
 */
export const shippedRules: readonly PolicyRule[] = [
  {
    name: 'force-push',
    match: { tool: 'Bash', command: String.raw`\bgit\s+push\b[^;&|]*(\s--force\b|\s--force-with-lease\b|\s-[a-z]*f\b|\s\+\S)` },
    verdict: 'red',
    message: 'a force-push rewrites shared history',
  },
  {
    name: 'recursive-delete',
    match: { tool: 'Bash', command: String.raw`\brm\s+(-[a-z]*r[a-z]*f|-[a-z]*f[a-z]*r|(-[a-z]+\s+)*--recursive\b.*--force\b|(-[a-z]+\s+)*--force\b.*--recursive\b|-r\s+-f\b|-f\s+-r\b)` },
    verdict: 'red',
    message: 'rm -rf deletes without asking and cannot be undone',
  },
  {
    name: 'database-drop',
    match: { tool: 'Bash', command: String.raw`\b(drop\s+(database|schema|table)|dropdb\b|truncate\s+(table\s+)?\w)` },
    verdict: 'red',
    message: 'dropping a database, schema or table loses its data',
  },
  {
    name: 'secrets-file',
    match: { tool: editTools, path: String.raw`(^|/)\.env(\.[^/]*)?$` },
    verdict: 'red',
    message: '.env files hold secrets',
  },
  {
    name: 'outside-workspace',
    match: { tool: editTools, outsideWorkspace: true },
    verdict: 'red',
    message: 'the file is outside the working directory',
  },
  {
    name: 'read-only-tools',
    match: { tool: 'Read|Glob|Grep|LS|NotebookRead|TodoWrite|BashOutput' },
    verdict: 'allow',
    message: 'the tool only reads',
  },
  {
    name: 'read-only-commands',
    match: {
      tool: 'Bash',
      command: String.raw`^\s*(ls|pwd|cat|head|tail|wc|grep|rg|which|date|echo|git\s+(status|diff|log|show|branch|rev-parse|ls-files|blame))(\s${alone}|$)`,
    },
    verdict: 'allow',
    message: 'the command only reads',
  },
  {
    name: 'tests',
    match: {
      tool: 'Bash',
      command: String.raw`^\s*(npm\s+(test|t|run\s+(test|lint|typecheck|check)[\w:-]*)|npx\s+(tsc|vitest|jest)|pytest|python3?\s+-m\s+pytest|go\s+(test|vet)|cargo\s+(test|check|clippy)|make\s+(test|check|lint))(\s${alone}|$)`,
    },
    verdict: 'allow',
    message: 'the command runs the tests or the checks',
  },
];

/** Calls each red shipped rule is there for: a rule of the config file that allows one of them is warned about at start. */
export const redExamples: ReadonlyArray<{ rule: string; tool: string; input: Record<string, unknown> }> = [
  { rule: 'force-push', tool: 'Bash', input: { command: 'git push --force origin main' } },
  { rule: 'recursive-delete', tool: 'Bash', input: { command: 'rm -rf /' } },
  { rule: 'database-drop', tool: 'Bash', input: { command: 'psql -c "DROP DATABASE shop"' } },
  { rule: 'secrets-file', tool: 'Write', input: { file_path: '.env', content: 'TOKEN=' } },
];

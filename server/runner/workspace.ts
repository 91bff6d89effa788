import { execFileSync } from 'node:child_process';
import { hash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentTemplate } from '../config.ts';
import type { SystemAccount } from '../system-account.ts';

/** A template's workspace, its defaults filled in. */
export interface Workspace {
  repo: string;
  base: string;
  merge: 'fast-forward' | 'merge-commit';
}

/** An agent's worktree: where it is, the runner's clone it belongs to, its branch, and where the base was when it started. */
export interface Worktree {
  path: string;
  clone: string;
  branch: string;
  base: string;
  baseSha: string;
}

/** A commit an agent made, as `workspace.committed` reports it. */
export interface Commit {
  sha: string;
  message: string;
  author: string;
  files: Array<{ path: string; added: number | null; removed: number | null }>;
}

const maxDiffChars = 32_000;

export function workspaceOf(template: AgentTemplate): Workspace | undefined {
  const given = template.workspace;
  return given && { repo: given.repo, base: given.base ?? 'main', merge: given.merge ?? 'fast-forward' };
}

/** The branch an agent works on: `mc/<its name>`. */
export function branchOf(agentName: string): string {
  return `mc/${agentName}`;
}

/**
 * The git configuration the runner's git runs with, in the workspaces directory: the clones are
 * the runner's own and their files its agents' user's, so every repository counts as safe (git
 * takes safe.directory only from a global file, which the git it starts for a local clone reads too).
 */
function gitConfig(workspacesDir: string): string {
  const file = path.join(workspacesDir, 'gitconfig');
  if (!existsSync(file)) {
    mkdirSync(workspacesDir, { recursive: true });
    writeFileSync(file, '[safe]\n\tdirectory = *\n', { mode: 0o644 });
  }
  return file;
}

/** Runs git without a shell, never asking for credentials; as `as` when given (what writes into a clone runs as its agents' user, so its files stay theirs to write). */
function git(workspacesDir: string, args: string[], cwd?: string, as?: SystemAccount): string {
  return execFileSync('git', args, {
    cwd,
    ...(as ? { uid: as.uid, gid: as.gid } : {}),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workspacesDir, GIT_CONFIG_GLOBAL: gitConfig(workspacesDir), GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', LANG: 'C' },
    maxBuffer: 64 * 1024 * 1024,
  }).trimEnd();
}

/** The workspaces directory a clone of it lies in. */
const homeOf = (clone: string) => path.dirname(path.dirname(clone));

/** What git said when it failed, in one line. */
function gitError(error: unknown): string {
  const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
  return (stderr.split('\n').find((line) => line.startsWith('fatal:') || line.startsWith('error:')) ?? stderr.split('\n')[0] ?? (error as Error).message).trim();
}

/** The runner's bare clone of a workspace repository (one per repository, shared by its agents' worktrees). */
export function cloneDir(workspacesDir: string, repo: string): string {
  const name = path.basename(repo.replace(/\/+$/, '')).replace(/\.git$/, '').replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 40) || 'repo';
  return path.join(workspacesDir, 'repos', `${name}-${hash('sha256', repo, 'hex').slice(0, 12)}.git`);
}

/** Why a workspace cannot be used (no such repository, not git, no such base branch), or undefined. */
export function workspaceProblem(workspacesDir: string, workspace: Workspace): string | undefined {
  const local = !/^[a-z][a-z0-9+.-]*:\/\//i.test(workspace.repo) && !/^[^/]+@[^/]+:/.test(workspace.repo);
  if (local && !existsSync(workspace.repo)) return `the workspace repository ${workspace.repo} does not exist`;
  try {
    const heads = git(workspacesDir, ['ls-remote', '--heads', workspace.repo, workspace.base]);
    if (heads === '') return `the workspace repository ${workspace.repo} has no branch "${workspace.base}"`;
  } catch (error) {
    return `${workspace.repo} is not a git repository the runner can reach (${gitError(error)})`;
  }
  return undefined;
}

/**
 * Makes an agent's worktree on its own branch, from the base as the repository has it now: the
 * runner's clone is made or brought up to date and the worktree added to it, both as the agents'
 * user (`account`), who commits into them. Leaves no worktree behind when it fails.
 */
export function openWorktree(workspacesDir: string, workspace: Workspace, agentId: string, branch: string, account: SystemAccount | undefined): Worktree {
  const problem = workspaceProblem(workspacesDir, workspace);
  if (problem) throw new Error(problem);
  const clone = cloneDir(workspacesDir, workspace.repo);
  const worktree = path.join(workspacesDir, 'worktrees', agentId);
  for (const dir of [workspacesDir, path.dirname(clone), path.dirname(worktree)]) {
    mkdirSync(dir, { recursive: true });
    if (account) chownSync(dir, account.uid, account.gid);
  }
  try {
    if (!existsSync(clone)) git(workspacesDir, ['clone', '--bare', '--quiet', workspace.repo, clone], undefined, account);
    git(workspacesDir, ['fetch', '--quiet', 'origin', `+refs/heads/${workspace.base}:refs/heads/${workspace.base}`], clone, account);
    const existing = branchExists(workspacesDir, clone, branch);
    // A respawned agent keeps its name, so its branch: it goes on from where the last one stopped.
    if (existing) releaseBranch(workspacesDir, clone, branch, account);
    git(workspacesDir, ['worktree', 'add', '--quiet', ...(existing ? [worktree, branch] : ['-b', branch, worktree, workspace.base])], clone, account);
  } catch (error) {
    rmSync(worktree, { recursive: true, force: true });
    if (existsSync(clone)) git(workspacesDir, ['worktree', 'prune'], clone, account);
    throw new Error(`could not make the worktree of ${branch}: ${gitError(error)}`);
  }
  return { path: worktree, clone, branch, base: workspace.base, baseSha: git(workspacesDir, ['merge-base', workspace.base, branch], clone) };
}

function branchExists(workspacesDir: string, clone: string, branch: string): boolean {
  try {
    git(workspacesDir, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], clone);
    return true;
  } catch {
    return false;
  }
}

/** Removes the worktree that still has `branch` checked out (an ended agent's, kept for its retention). */
function releaseBranch(workspacesDir: string, clone: string, branch: string, account: SystemAccount | undefined): void {
  const blocks = git(workspacesDir, ['worktree', 'list', '--porcelain'], clone).split('\n\n');
  const holder = blocks.find((block) => block.split('\n').includes(`branch refs/heads/${branch}`));
  const at = holder?.split('\n').find((line) => line.startsWith('worktree '))?.slice('worktree '.length);
  if (at !== undefined) removeWorktree({ path: at, clone }, account);
}

/** The commits on the agent's branch past `after` (or the base), oldest first. */
export function commitsSince(worktree: Worktree, after: string | undefined): Commit[] {
  let log: string;
  try {
    log = git(homeOf(worktree.clone), ['log', '--reverse', '--format=%H%x1f%an <%ae>%x1f%s', `${after ?? worktree.baseSha}..${worktree.branch}`], worktree.clone);
  } catch {
    return [];
  }
  return log
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha, author, message] = line.split('\x1f') as [string, string, string];
      return { sha, author, message, files: numstat(worktree.clone, sha) };
    });
}

function numstat(clone: string, sha: string): Commit['files'] {
  return git(homeOf(clone), ['show', '--numstat', '--format=', sha], clone)
    .split('\n')
    .filter(Boolean)
    .slice(0, 1000)
    .map((line) => {
      const [added, removed, ...file] = line.split('\t');
      return { path: file.join('\t'), added: added === '-' ? null : Number(added), removed: removed === '-' ? null : Number(removed) };
    });
}

/** The branch's head and its change against where the base was at the start, for `workspace.finished`. */
export function finished(worktree: Worktree): Record<string, unknown> {
  const head = git(homeOf(worktree.clone), ['rev-parse', worktree.branch], worktree.clone);
  const range = `${worktree.baseSha}..${worktree.branch}`;
  const commits = Number(git(homeOf(worktree.clone), ['rev-list', '--count', range], worktree.clone));
  let files = 0;
  let added = 0;
  let removed = 0;
  for (const line of git(homeOf(worktree.clone), ['diff', '--numstat', worktree.baseSha, worktree.branch], worktree.clone).split('\n').filter(Boolean)) {
    const [a, r] = line.split('\t');
    files += 1;
    added += a === '-' ? 0 : Number(a);
    removed += r === '-' ? 0 : Number(r);
  }
  const diff = git(homeOf(worktree.clone), ['diff', worktree.baseSha, worktree.branch], worktree.clone);
  return {
    branch: worktree.branch,
    base: worktree.base,
    baseSha: worktree.baseSha,
    head,
    commits,
    files,
    added,
    removed,
    diff: diff.slice(0, maxDiffChars),
    ...(diff.length > maxDiffChars ? { truncated: true } : {}),
  };
}

/** What an approved merge came to: the base's new head, or why it was not applied (nothing forced). */
export type MergeResult = { sha: string } | { reason: string; conflicts?: string[] };

/**
 * Applies an approved merge of `branch` into `base` in the repository: fast-forward (refused when
 * the base has moved on) or a merge commit (refused on a conflict, which is listed); then pushes
 * the base to the repository. A push the repository refuses is reported too. Never forced.
 */
export function applyMerge(clone: string, branch: string, base: string, mode: Workspace['merge'], account: SystemAccount | undefined): MergeResult {
  try {
    git(homeOf(clone), ['fetch', '--quiet', 'origin', `+refs/heads/${base}:refs/heads/${base}`], clone, account);
  } catch (error) {
    return { reason: `could not fetch ${base} from the repository: ${gitError(error)}` };
  }
  let sha: string;
  if (mode === 'fast-forward') {
    try {
      git(homeOf(clone), ['merge-base', '--is-ancestor', base, branch], clone);
    } catch {
      return { reason: `${base} has moved on since ${branch} left it: a fast-forward is not possible (configure merge: merge-commit, or start the work again)` };
    }
    sha = git(homeOf(clone), ['rev-parse', branch], clone);
  } else {
    const scratch = path.join(path.dirname(path.dirname(clone)), 'merges', `${path.basename(clone)}-${process.pid}-${Date.now()}`);
    try {
      git(homeOf(clone), ['worktree', 'add', '--quiet', '--detach', scratch, base], clone, account);
      try {
        git(homeOf(clone), ['-c', 'user.name=Mission Control', '-c', 'user.email=runner@mission-control.invalid', 'merge', '--no-ff', '--quiet', '-m', `Merge ${branch} into ${base}`, branch], scratch, account);
      } catch {
        const conflicts = git(homeOf(clone), ['diff', '--name-only', '--diff-filter=U'], scratch).split('\n').filter(Boolean);
        return { reason: conflicts.length > 0 ? `the merge conflicts in ${conflicts.length} file${conflicts.length === 1 ? '' : 's'}` : 'git refused the merge', conflicts };
      }
      sha = git(homeOf(clone), ['rev-parse', 'HEAD'], scratch);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      git(homeOf(clone), ['worktree', 'prune'], clone, account);
    }
  }
  // As the runner: the repository is the operator's, and may be closed to the agents' user.
  try {
    git(homeOf(clone), ['push', '--quiet', 'origin', `${sha}:refs/heads/${base}`], clone);
  } catch (error) {
    return { reason: `the repository refused the push to ${base}: ${gitError(error)}` };
  }
  git(homeOf(clone), ['update-ref', `refs/heads/${base}`, sha], clone, account);
  return { sha };
}

/** Removes an ended agent's worktree; its branch stays in the clone. */
export function removeWorktree(worktree: Pick<Worktree, 'path' | 'clone'>, account: SystemAccount | undefined): void {
  try {
    git(homeOf(worktree.clone), ['worktree', 'remove', '--force', worktree.path], worktree.clone, account);
  } catch {
    rmSync(worktree.path, { recursive: true, force: true });
    if (existsSync(worktree.clone)) git(homeOf(worktree.clone), ['worktree', 'prune'], worktree.clone, account);
  }
}

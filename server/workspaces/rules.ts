import type { Risk } from '../../contracts/vocabulary.ts';
import type { Agent } from '../agents/model.ts';
import { isFinal } from '../agents/model.ts';
import { unknownAgent } from '../agents/rules.ts';
import type { AgentTemplate } from '../config.ts';
import { HubError } from '../errors.ts';
import type { MergeMode, WorkspaceRecord } from './model.ts';

// Characters and sequences git refuses in a branch name (git check-ref-format).
const badRef = /[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|\/\.|\.lock(\/|$)|^\.|^-|^@$/;

/** Why `mc/<name>` cannot be a git branch, so an agent of a template with a workspace cannot have that name; undefined when it can. */
export function branchNameProblem(name: string): string | undefined {
  const branch = `mc/${name}`;
  if (badRef.test(name) || name.endsWith('.') || name.endsWith('/')) {
    return `the agent name ${JSON.stringify(name)} cannot be a git branch (${branch}): use letters, digits and . _ - /, with no "..", no leading "." or "-", and no trailing "." or "/"`;
  }
  return undefined;
}

/** What a merge asks: the branch, where it goes, how, and the decision's risk. */
export interface MergePlan {
  branch: string;
  base: string;
  mode: MergeMode;
  risk: Risk;
}

/**
 * Whether an agent's branch may be put up for a merge now: it must have a workspace, have ended
 * (its workspace.finished is in the log), have commits past its base, and have no merge pending,
 * approved and not yet applied, or done. Else a 404 or a 409 that says which.
 */
export function decideMerge(agent: Agent | undefined, id: string, template: AgentTemplate | undefined, record: WorkspaceRecord): MergePlan {
  if (agent === undefined) throw unknownAgent(id);
  if (template?.workspace === undefined) {
    throw new HubError('conflict', `agent "${id}" has no workspace: its template${agent.template ? ` "${agent.template}"` : ''} names none, so there is no branch to merge`);
  }
  if (record.finished === undefined) {
    throw new HubError('conflict', isFinal(agent.status) ? `agent "${id}" ended without reporting its workspace: there is nothing to merge` : `agent "${id}" is ${agent.status}: its branch is merged once it has ended`);
  }
  const data = record.finished.data as { branch: string; base: string; commits: number };
  if (data.commits === 0) throw new HubError('conflict', `agent "${id}" made no commit on ${data.branch}: there is nothing to merge`);
  const last = record.lastMerge;
  if (last !== undefined) {
    if (last.outcome === 'merged') throw new HubError('conflict', `${data.branch} was merged already`);
    if (last.decision === 'pending') throw new HubError('conflict', `a merge of ${data.branch} already waits for decision ${last.request.decisionId}`);
    if (last.decision === 'approved' && last.outcome === undefined) throw new HubError('conflict', `a merge of ${data.branch} was approved and its runner is applying it`);
  }
  return { branch: data.branch, base: data.base, mode: template.workspace.merge ?? 'fast-forward', risk: template.workspace.mergeRisk ?? 'high' };
}

/** The decision's context: the branch, its diffstat, its commits and the start of its diff, in Markdown. */
export function mergeContext(plan: MergePlan, record: WorkspaceRecord, reason: string | undefined): string {
  const finished = record.finished!.data as { head: string; commits: number; files: number; added: number; removed: number; diff: string; truncated?: boolean };
  const commits = record.commits.slice(-50).map((event) => {
    const d = event.data as { sha: string; message: string; author: string };
    return `- \`${d.sha.slice(0, 10)}\` ${d.message} (${d.author})`;
  });
  const diff = finished.diff.slice(0, 8000);
  return [
    ...(reason ? [reason, ''] : []),
    `Merge \`${plan.branch}\` into \`${plan.base}\` (${plan.mode}), head \`${finished.head.slice(0, 10)}\`.`,
    '',
    `${finished.commits} commit${finished.commits === 1 ? '' : 's'}, ${finished.files} file${finished.files === 1 ? '' : 's'} changed, +${finished.added} -${finished.removed}.`,
    '',
    ...commits,
    '',
    '```diff',
    diff,
    '```',
    ...(diff.length < finished.diff.length || finished.truncated ? ['(the diff is cut here)'] : []),
  ].join('\n');
}

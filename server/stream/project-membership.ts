import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EventFrame } from '../log/event.ts';

type Subject = 'agent' | 'task' | 'decision';

/**
 * Which agents, tasks and decisions belong to which project, for a live stream filtered by
 * project: read from the views once the replay is done (only those outside `default`), then
 * learned from the events that create them, the way the views do. An event belongs to the
 * project when its agent, its task or its decision does, as a page's SQL says.
 */
export class ProjectMembership {
  readonly #projectId: string;
  readonly #projects: Record<Subject, Map<string, string>>;

  private constructor(projectId: string, projects: Record<Subject, Map<string, string>>) {
    this.#projectId = projectId;
    this.#projects = projects;
  }

  static async load(db: Kysely<Database>, projectId: string): Promise<ProjectMembership> {
    const read = async (table: 'agents' | 'tasks' | 'decisions') => {
      const rows = await db.selectFrom(table).select(['id', 'project_id']).where('project_id', '<>', 'default').execute();
      return new Map(rows.map((row) => [row.id, row.project_id]));
    };
    const [agent, task, decision] = await Promise.all([read('agents'), read('tasks'), read('decisions')]);
    return new ProjectMembership(projectId, { agent, task, decision });
  }

  /** Learns from the frame if it creates an agent, a task or a decision; then whether it belongs to the project. */
  includes(frame: EventFrame): boolean {
    const decisionId = frame.wire.includes('"decisionId"') ? (JSON.parse(frame.wire) as { decisionId?: string }).decisionId : undefined;
    if (frame.type === 'agent.spawn_requested' || frame.type === 'task.created' || frame.type === 'decision.requested') this.learn(frame, decisionId);
    const p = this.#projectId;
    return (
      (frame.agentId !== null && this.projectOf('agent', frame.agentId) === p) ||
      (frame.taskId !== null && this.projectOf('task', frame.taskId) === p) ||
      (decisionId !== undefined && this.projectOf('decision', decisionId) === p)
    );
  }

  private learn(frame: EventFrame, decisionId: string | undefined): void {
    const named = (JSON.parse(frame.wire) as { data: { projectId?: string } }).data.projectId;
    if (frame.type === 'agent.spawn_requested' && frame.agentId !== null) this.#projects.agent.set(frame.agentId, named ?? 'default');
    if (frame.type === 'task.created' && frame.taskId !== null) this.#projects.task.set(frame.taskId, named ?? 'default');
    if (frame.type === 'decision.requested' && decisionId !== undefined) {
      // Its agent's project, else its task's, else the one it names: the decisions projection's rule.
      const project = frame.agentId !== null ? this.projectOf('agent', frame.agentId) : frame.taskId !== null ? this.projectOf('task', frame.taskId) : (named ?? 'default');
      this.#projects.decision.set(decisionId, project);
    }
  }

  private projectOf(subject: Subject, id: string): string {
    return this.#projects[subject].get(id) ?? 'default';
  }
}

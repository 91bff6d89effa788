import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** What an event is about. */
export interface Subjects {
  agentId?: string | null;
  taskId?: string | null;
  decisionId?: string | null;
}

/** The projects of the agent, task and decision `subjects` names (each that the views know), in that order. */
export async function subjectProjects(db: Kysely<Database>, subjects: Subjects): Promise<string[]> {
  const projectOf = async (table: 'agents' | 'tasks' | 'decisions', id: string | null | undefined) =>
    id == null ? undefined : (await db.selectFrom(table).select('project_id').where('id', '=', id).executeTakeFirst())?.project_id;
  const found = await Promise.all([projectOf('agents', subjects.agentId), projectOf('tasks', subjects.taskId), projectOf('decisions', subjects.decisionId)]);
  return found.filter((p): p is string => p !== undefined);
}

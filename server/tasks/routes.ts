import { Hono } from 'hono';
import type { Origin, TaskCreateRequest, TaskTransitionRequest } from '../../contracts/index.ts';
import { findAgent } from '../agents/store.ts';
import { allow, principalOf } from '../auth/middleware.ts';
import type { Principal } from '../auth/roles.ts';
import type { FeatureDeps } from '../feature.ts';
import { knownProject } from '../projects/rules.ts';
import { inScope, listedProject } from '../projects/scope.ts';
import { HubError, invalidInput } from '../errors.ts';
import type { HubEnv } from '../http/env.ts';
import { knownQuery } from '../http/known-query.ts';
import { idempotencyKeyOf, jsonBody, matching } from '../http/json-body.ts';
import type { NewEvent } from '../log/event.ts';
import { handleCommand } from '../log/command.ts';
import { newEvent } from '../log/new-event.ts';
import { type TaskStatus, taskStatuses } from '../../contracts/vocabulary.ts';
import { newTaskId, taskIdForKey, taskView } from './model.ts';
import { decide } from './rules.ts';
import { findTask, listTasks } from './store.ts';

/** The task board: create, list, read, and move tasks under the state machine. */
export function tasksRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();

  app.post('/', allow('POST /tasks'), jsonBody(matching<TaskCreateRequest>(deps.contracts, 'requests/task-create.schema.json')), async (c) => {
    const principal = principalOf(c);
    const asked = c.req.valid('json');
    // A scoped token's task is of its project, and may be given only to one of its agents.
    const body = principal.projectId !== null && asked.projectId === undefined ? { ...asked, projectId: principal.projectId } : asked;
    if (!inScope(principal, body.projectId ?? 'default')) throw new HubError('forbidden', `a token of project "${principal.projectId}" makes tasks only there, not in "${body.projectId}"`);
    if (principal.projectId !== null && body.agentId !== undefined) {
      const assignee = await findAgent(deps.db, body.agentId);
      if (assignee === undefined || !inScope(principal, assignee.projectId)) throw new HubError('forbidden', `a token of project "${principal.projectId}" assigns tasks only to its agents; "${body.agentId}" is not one`);
    }
    const key = idempotencyKeyOf(c, deps.contracts);
    if (principal.role === 'agent' && body.agentId !== undefined && body.agentId !== principal.agentId) {
      throw new HubError('forbidden', `an agent may assign a new task only to itself (${principal.agentId}), not to ${body.agentId}; leave agentId out to leave it unassigned`);
    }
    if (body.projectId !== undefined) knownProject(deps.config, body.projectId);
    const taskId = key !== undefined ? taskIdForKey(principal.actor, key) : newTaskId();
    const receipts = await deps.appender.append(createEvents(principal, taskId, body, key, c.get('origin'))).catch((error: unknown) => {
      if (error instanceof HubError && error.code === 'idempotency_conflict') {
        throw new HubError('idempotency_conflict', `Idempotency-Key "${key}" was already used for a different task; use a new key for a new task`);
      }
      throw error;
    });
    const task = await findTask(deps.db, taskId);
    if (!task) throw new Error(`task ${taskId} was appended but is not in the view`);
    return c.json(taskView(task), receipts.every((r) => r.deduped) ? 200 : 201);
  });

  app.get('/', allow('GET /tasks'), knownQuery(['status', 'agent', 'label', 'project']), async (c) => {
    const statuses = (c.req.query('status') ?? '').split(',').filter((s) => s !== '');
    const unknown = statuses.find((s) => !(taskStatuses as readonly string[]).includes(s));
    if (unknown !== undefined) {
      throw invalidInput([{ path: '?status', message: `"${unknown}" is not a task status; use one of: ${taskStatuses.join(', ')} (several separated by commas)` }]);
    }
    const agentId = c.req.query('agent') || undefined;
    const labels = (c.req.queries('label') ?? []).filter((l) => l !== '');
    const projectId = listedProject(principalOf(c), c.req.query('project') || undefined);
    const tasks = await listTasks(deps.db, { statuses: statuses as TaskStatus[], labels, ...(agentId ? { agentId } : {}), ...(projectId ? { projectId } : {}) });
    return c.json({ tasks: tasks.map(taskView) });
  });

  app.get('/:id', allow('GET /tasks/:id'), knownQuery([]), async (c) => {
    const task = await findTask(deps.db, c.req.param('id'));
    if (!task || !inScope(principalOf(c), task.projectId)) throw notFound(c.req.param('id'));
    return c.json(taskView(task));
  });

  app.post('/:id/transition', allow('POST /tasks/:id/transition'), jsonBody(matching<TaskTransitionRequest>(deps.contracts, 'requests/task-transition.schema.json')), async (c) => {
    const principal = principalOf(c);
    const id = c.req.param('id');
    const body = c.req.valid('json');
    // Runs after the log lock: of two concurrent moves, the second sees the first and is judged against it.
    await handleCommand(
      deps.appender,
      async (trx) => {
        const task = await findTask(trx, id);
        if (!task || !inScope(principal, task.projectId)) throw notFound(id);
        // Only the healer's moves depend on it: it retries the tasks of agents that failed, no others.
        const assignee = principal.role === 'healer' && task.agentId !== null ? await findAgent(trx, task.agentId) : undefined;
        return { task, assigneeFailed: assignee?.status === 'failed' };
      },
      ({ task, assigneeFailed }) => {
        const changes = decide(task, {
          assigneeFailed,
          to: body.to,
          role: principal.role,
          agentId: principal.agentId,
          ...(body.reason !== undefined ? { reason: body.reason } : {}),
          ...(body.agentId !== undefined ? { assignTo: body.agentId } : {}),
        });
        // Each event names the task's agent as of that event: the new one from its assignment on.
        let agentId = task.agentId;
        return changes.map((change) => {
          if (change.type === 'task.assigned') agentId = change.data.agentId;
          return { ...change, agentId };
        });
      },
      { actor: principal.actor, taskId: id, origin: c.get('origin') },
    );
    const task = await findTask(deps.db, id);
    if (!task) throw notFound(id);
    return c.json(taskView(task));
  });

  return app;
}

/** `task.created`, and `task.assigned` when the body names an agent; keyed by the caller's key when it sent one. */
function createEvents(principal: Principal, taskId: string, body: TaskCreateRequest, key: string | undefined, origin: Origin): NewEvent[] {
  const keyed = (suffix: string) => (key !== undefined ? { idempotencyKey: `tasks:${principal.actor}:${key}${suffix}` } : {});
  const data = {
    title: body.title,
    priority: body.priority ?? 'normal',
    labels: body.labels ?? [],
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.projectId !== undefined ? { projectId: body.projectId } : {}),
  };
  const agentId = body.agentId ?? null;
  const created = newEvent({ type: 'task.created', data, actor: principal.actor, taskId, agentId, ...keyed('') }, origin);
  if (agentId === null) return [created];
  return [created, newEvent({ type: 'task.assigned', data: { agentId }, actor: principal.actor, taskId, agentId, ...keyed(':assigned') }, origin)];
}

function notFound(id: string): HubError {
  return new HubError('not_found', `no task "${id}"; GET /tasks lists them`);
}

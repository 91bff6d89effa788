import type { AgentTemplate } from '../config.ts';
import type { Agent } from '../agents/model.ts';
import { liveStatuses } from '../../contracts/vocabulary.ts';
import type { Change } from '../log/command.ts';
import type { Runner, RunnerLoad, RunnerRegistration } from './model.ts';

/** True when `labels` has every label `runsOn` asks for, each with the same value. */
export function satisfies(labels: Readonly<Record<string, string>>, runsOn: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(runsOn ?? {}).every(([name, value]) => Object.hasOwn(labels, name) && labels[name] === value);
}

/** True when `runner` may be given an agent of `template` now: online, allowed to run it, with the labels, and room. */
function fits(entry: RunnerLoad, template: string, runsOn: AgentTemplate['runsOn']): boolean {
  const { runner, load } = entry;
  return runner.status === 'online' && runner.templates.includes(template) && satisfies(runner.labels, runsOn) && load < runner.capacity;
}

/** The runner to give an agent of `template`: of those that fit, the least loaded for its capacity (then by id, so every hub picks the same). */
export function chooseRunner(runners: readonly RunnerLoad[], template: string, runsOn: AgentTemplate['runsOn']): RunnerLoad | undefined {
  const fitting = runners.filter((entry) => fits(entry, template, runsOn));
  fitting.sort((a, b) => a.load / a.runner.capacity - b.load / b.runner.capacity || a.runner.id.localeCompare(b.runner.id));
  return fitting[0];
}

/** Why an agent of `template` waits for a runner, for `GET /agents/:id`: the first thing that no runner offers. */
export function waitingReason(runners: readonly RunnerLoad[], template: string, runsOn: AgentTemplate['runsOn']): string {
  const wanted = Object.entries(runsOn ?? {}).map(([name, value]) => `${name}=${value}`).join(', ');
  if (runners.length === 0) return 'no runner has registered yet';
  const allowing = runners.filter((entry) => entry.runner.templates.includes(template));
  if (allowing.length === 0) return `no runner's configuration allows the template "${template}"`;
  const labelled = allowing.filter((entry) => satisfies(entry.runner.labels, runsOn));
  if (labelled.length === 0) return `no runner that allows "${template}" has the labels ${wanted}`;
  const online = labelled.filter((entry) => entry.runner.status === 'online');
  if (online.length === 0) return `every runner that can run it is offline (${labelled.map((e) => e.runner.name).join(', ')})`;
  return `every runner that can run it is full (${online.map((e) => `${e.runner.name} ${e.load}/${e.runner.capacity}`).join(', ')})`;
}

/**
 * Places waiting agents (oldest first) on runners, each counted against its runner's capacity as
 * it is placed; an agent no runner can take now stays waiting.
 */
export function decideAssignments(waiting: readonly Agent[], runners: readonly RunnerLoad[], templates: Readonly<Record<string, AgentTemplate>>): Change[] {
  const loads = runners.map((entry) => ({ ...entry }));
  const changes: Change[] = [];
  for (const agent of waiting) {
    const template = agent.template === null ? undefined : templates[agent.template];
    if (template === undefined || agent.template === null) continue;
    const chosen = chooseRunner(loads, agent.template, template.runsOn);
    if (chosen === undefined) continue;
    chosen.load += 1;
    changes.push({ type: 'agent.assigned', agentId: agent.id, data: { runnerId: chosen.runner.id }, idempotencyKey: `agent:${agent.id}:assigned` });
  }
  return changes;
}

/**
 * A registration: logged when the runner is new, changed or was offline; its lost agents that it
 * still runs are live again, and those it came back without have failed (nobody can say how they ended).
 */
export function decideRegistration(runnerId: string, known: Runner | undefined, registration: RunnerRegistration, placed: readonly Agent[], now: Date): Change[] {
  const { agents: running, ...said } = registration;
  const changes: Change[] = [];
  const same =
    known !== undefined &&
    known.status === 'online' &&
    known.name === said.name &&
    known.capacity === said.capacity &&
    JSON.stringify(known.labels) === JSON.stringify(said.labels) &&
    JSON.stringify(known.templates) === JSON.stringify(said.templates);
  if (!same) changes.push({ type: 'runner.registered', data: { runnerId, ...said } });
  for (const agent of placed) {
    const runs = running.includes(agent.id);
    if (agent.status === 'lost' && runs) changes.push({ type: 'agent.recovered', agentId: agent.id, data: { lastSeenAt: now.toISOString() } });
    if (agent.status !== 'spawning' && !runs) {
      changes.push({
        type: 'agent.failed',
        agentId: agent.id,
        data: { code: null, signal: null, error: `its runner ${said.name} (${runnerId}) came back without it: it ended while the runner was away, and how is not known` },
        idempotencyKey: `agent:${agent.id}:ended`,
      });
    }
  }
  return changes;
}

/** A runner silent past `offlineAfterMs` goes offline once, and its running agents are lost (not failed: they may still run). */
export function decideOffline(runner: Runner, lastSeenAt: string, placed: readonly Agent[], now: Date, offlineAfterMs: number): Change[] {
  if (runner.status !== 'online' || now.getTime() - Date.parse(lastSeenAt) <= offlineAfterMs) return [];
  const lost = placed.filter((agent) => liveStatuses.includes(agent.status) || agent.status === 'stale');
  return [
    { type: 'runner.offline', data: { runnerId: runner.id, lastSeenAt }, idempotencyKey: `runner:${runner.id}:offline:${runner.lastSeq}` },
    ...lost.map((agent) => ({ type: 'agent.lost', agentId: agent.id, data: { runnerId: runner.id } })),
  ];
}

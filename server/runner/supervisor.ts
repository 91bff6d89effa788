import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import type { Logger } from 'pino';
import type { EventAppend } from '../../contracts/index.ts';
import { backoffDelay, sleep } from '../client/backoff.ts';
import { HubClientError } from '../client/errors.ts';
import type { HubClient } from '../client/hub-client.ts';
import type { WorkItem } from '../client/views.ts';
import type { AgentTemplate } from '../config.ts';
import type { StateStore } from '../process/state-file.ts';
import type { SystemAccount } from '../system-account.ts';
import { agentEnvironment } from './environment.ts';
import { type AgentEnd, type AgentFiles, agentFiles, alive, endOf, launch, signalGroup, writeStdin } from './launch.ts';
import { LineSplitter, type OutputLimits, type OutputOffsets, OutputPump } from './output.ts';
import type { KeptAgent, RunnerState } from './state.ts';
import { type MergeResult, type Workspace, type Worktree, applyMerge, branchOf, cloneDir, commitsSince, finished, openWorktree, removeWorktree, workspaceOf } from './workspace.ts';

/** What the supervisor is tuned by: the output limits, and how long a stopped agent has before SIGKILL. */
export type SupervisorLimits = OutputLimits & { stopGraceMs: number };

export interface SupervisorOptions {
  client: HubClient;
  /** The hub's URL as the agents call it. */
  hubUrl: string;
  store: StateStore<RunnerState>;
  stateDir: string;
  /** The templates this runner may run, by name: the only commands it ever starts. */
  templates: Readonly<Record<string, AgentTemplate>>;
  account: SystemAccount | undefined;
  limits: SupervisorLimits;
  /** The runner's environment, of which agents inherit a few basics. */
  environment: Readonly<Record<string, string | undefined>>;
  /** Why an agent of this template cannot start here (a directory it may not reach), or undefined. */
  reachProblem(template: string): string | undefined;
  /** Where the clones of workspace repositories and the agents' worktrees are, and how long an ended agent's worktree is kept. */
  workspacesDir: string;
  worktreeRetentionMs: number;
  logger: Logger;
}

// How often the runner reads its agents' output files and looks for their ends.
const followMs = 100;

/**
 * Runs the agents a runner was assigned, each through a shim in a session of its own, so neither
 * a hub nor a runner restart stops them: it reports their output from the files they write
 * (each line keyed by its place, so a line read twice is stored once), and their end; it hands
 * them stop requests and injected messages. After a restart it adopts the agents its state names.
 */
export class AgentSupervisor {
  private readonly options: SupervisorOptions;
  private readonly watches = new Map<string, AgentWatch>();
  private readonly closing = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private runnerId = '';
  /** Kept offsets changed since the state was last saved. */
  private dirty = false;

  constructor(options: SupervisorOptions) {
    this.options = options;
  }

  /** Follows again every agent the state names (a runner restart): the running ones go on, the ended ones are reported. */
  adopt(): void {
    for (const [agentId, kept] of Object.entries(this.options.store.state.agents)) this.follow(agentId, kept);
    this.timer ??= setInterval(() => this.tick(), followMs);
  }

  /** The agents this runner runs or has yet to report ended, for its registration. */
  agentIds(): string[] {
    return Object.keys(this.options.store.state.agents);
  }

  /** Acts on one item of the runner's work, in log order. */
  async handle(runnerId: string, item: WorkItem): Promise<void> {
    this.runnerId = runnerId;
    if (item.type === 'agent.assigned') await this.start(item.agentId);
    else if (item.type === 'agent.stop_requested') await this.stop(item.agentId, item.data.by as string);
    else if (item.type === 'workspace.merge_approved') await this.merge(item);
    else this.watches.get(item.agentId)?.message(JSON.stringify({ id: item.id, message: item.data.message, from: item.data.from }));
  }

  /** Applies an approved merge in the repository of the agent's template, and reports how it went. */
  private async merge(item: WorkItem): Promise<void> {
    const { branch, base, mode, template: name } = item.data as { branch: string; base: string; mode: Workspace['merge']; template: string };
    const template = Object.hasOwn(this.options.templates, name) ? this.options.templates[name] : undefined;
    const workspace = template && workspaceOf(template);
    const result: MergeResult = workspace
      ? applyMerge(cloneDir(this.options.workspacesDir, workspace.repo), branch, base, mode, this.options.account)
      : { reason: `runner ${this.runnerId} has no workspace for the template "${name}" in its configuration` };
    const key = `workspace:${item.agentId}:merge:${item.seq}`;
    await this.deliver([
      'sha' in result
        ? { type: 'workspace.merged', agentId: item.agentId, data: { branch, base, mode, sha: result.sha }, idempotencyKey: key }
        : { type: 'workspace.merge_failed', agentId: item.agentId, data: { branch, base, mode, ...result }, idempotencyKey: key },
    ]);
  }

  private async start(agentId: string): Promise<void> {
    const { client, store, templates, logger } = this.options;
    if (store.state.agents[agentId] !== undefined) return;
    const plan = await client.runners.start(this.runnerId, agentId).catch((error: unknown) => {
      // Ended or stopped while it waited, or no longer this runner's: nothing to start.
      if (error instanceof HubClientError && (error.status === 409 || error.status === 403)) return logger.info({ agentId, reason: error.detail }, 'not starting an agent');
      throw error;
    });
    if (plan === undefined) return;
    const template = Object.hasOwn(templates, plan.template) ? templates[plan.template] : undefined;
    const refusal =
      template === undefined ? `runner ${this.runnerId} refuses the template "${plan.template}": its own configuration does not allow it` : this.options.reachProblem(plan.template);
    if (template === undefined || refusal !== undefined) {
      logger.warn({ agentId, template: plan.template }, refusal);
      return this.deliver([ended(agentId, 'agent.failed', { code: null, signal: null, error: `could not start: ${refusal}` })]);
    }
    const files = agentFiles(this.options.stateDir, agentId);
    const env = agentEnvironment(this.options.environment, template, this.options.hubUrl, plan);
    const workspace = workspaceOf(template);
    let worktree: Worktree | undefined;
    let started;
    try {
      if (workspace) {
        worktree = openWorktree(this.options.workspacesDir, workspace, agentId, branchOf(plan.name), this.options.account);
        env.MC_WORKSPACE = worktree.path;
      }
      const cwd = template.cwd ?? worktree?.path;
      started = await launch(
        { agentId, command: template.command, args: template.args ?? [], ...(cwd !== undefined ? { cwd } : {}), env, stdin: template.stdin ?? 'none', ...(template.limits ? { limits: template.limits } : {}) },
        files,
        this.options.account,
      );
    } catch (error) {
      rmSync(files.dir, { recursive: true, force: true });
      // Never a half-made worktree left behind.
      if (worktree) removeWorktree(worktree, this.options.account);
      return this.deliver([ended(agentId, 'agent.failed', { code: null, signal: null, error: `could not start: ${(error as Error).message}` })]);
    }
    const kept: KeptAgent = {
      name: plan.name,
      template: plan.template,
      shimPid: started.shimPid,
      pid: started.pid ?? null,
      ownDir: started.ownDir,
      startedAt: new Date().toISOString(),
      stdin: template.stdin ?? 'none',
      delivered: { stdout: 0, stderr: 0 },
      ...(worktree ? { worktree } : {}),
    };
    store.update((state) => ({ ...state, agents: { ...state.agents, [agentId]: kept } }));
    await store.save();
    if (started.pid !== undefined) {
      await this.deliver([{ type: 'agent.spawned', agentId, data: { runner: this.runnerId, pid: started.pid }, idempotencyKey: `agent:${agentId}:spawned` }]);
    }
    this.follow(agentId, kept);
  }

  /** An operator's stop: SIGTERM to the agent's process group now, SIGKILL once the grace period has passed. */
  private async stop(agentId: string, by: string): Promise<void> {
    const kept = this.options.store.state.agents[agentId];
    if (kept === undefined || kept.stoppedBy !== undefined) return;
    this.keep(agentId, { stoppedBy: by });
    await this.options.store.save();
    this.watches.get(agentId)?.terminate();
  }

  /** Changes what the state keeps of one agent (in memory; saved by the caller, or at the next look at the files). */
  keep(agentId: string, change: Partial<KeptAgent>): void {
    this.dirty = true;
    this.options.store.update((state) => {
      const kept = state.agents[agentId];
      return kept === undefined ? state : { ...state, agents: { ...state.agents, [agentId]: { ...kept, ...change } } };
    });
  }

  /** What the state keeps of one agent now. */
  keptOf(agentId: string): KeptAgent | undefined {
    return this.options.store.state.agents[agentId];
  }

  /** The agent's end is in the log: forget it; its worktree, if any, is removed once its retention has passed. */
  async forget(agentId: string): Promise<void> {
    this.watches.delete(agentId);
    this.options.store.update((state) => {
      const { [agentId]: kept, ...agents } = state.agents;
      const worktree = kept?.worktree;
      const removeAt = new Date(Date.now() + this.options.worktreeRetentionMs).toISOString();
      const endedWorktrees = [...(state.endedWorktrees ?? []), ...(worktree ? [{ path: worktree.path, clone: worktree.clone, removeAt }] : [])];
      return { ...state, agents, endedWorktrees };
    });
    await this.options.store.save();
  }

  /** Removes the worktrees whose retention has passed. */
  private pruneWorktrees(): void {
    const now = new Date().toISOString();
    const due = (this.options.store.state.endedWorktrees ?? []).filter((w) => w.removeAt <= now);
    if (due.length === 0) return;
    for (const worktree of due) removeWorktree(worktree, this.options.account);
    this.dirty = true;
    this.options.store.update((state) => ({ ...state, endedWorktrees: (state.endedWorktrees ?? []).filter((w) => !due.includes(w)) }));
  }

  /**
   * Appends events for the runner's agents, trying again while the hub is away (in order: the
   * caller waits); a refusal (4xx) is thrown. Only closing the runner ends the attempts.
   */
  async deliver(events: EventAppend[]): Promise<void> {
    for (let failures = 1; ; failures++) {
      try {
        await this.options.client.events.append(events, { signal: this.closing.signal });
        return;
      } catch (error) {
        if (this.closing.signal.aborted) throw error;
        if (error instanceof HubClientError && error.status >= 400 && error.status < 500 && error.status !== 429) throw error;
        if (failures === 1) this.options.logger.warn({ err: error }, 'the hub does not take reports now; the runner keeps them and tries again');
        await sleep(backoffDelay(failures, { baseMs: 200, maxMs: 5000 }), this.closing.signal);
      }
    }
  }

  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  private follow(agentId: string, kept: KeptAgent): void {
    const template = this.options.templates[kept.template];
    this.watches.set(agentId, new AgentWatch(this, agentId, kept, agentFiles(this.options.stateDir, agentId), this.options.limits, template?.timeoutSec, this.options.logger));
  }

  private tick(): void {
    for (const watch of this.watches.values()) watch.pull();
    this.pruneWorktrees();
    if (!this.dirty) return;
    this.dirty = false;
    this.options.store.save().catch((error: unknown) => {
      this.dirty = true;
      this.options.logger.warn({ err: error }, 'the runner could not save its state; it tries again');
    });
  }

  /** Stops following (the agents run on, and are adopted by the next start); what was read is delivered first, briefly. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.race([Promise.all([...this.watches.values()].map((watch) => watch.flush())), sleep(1000)]);
    this.closing.abort();
    for (const watch of this.watches.values()) watch.close();
  }

  /** Kills every agent it runs (SIGKILL to each process group), for a runner taken down with its agents. */
  killAll(): void {
    for (const watch of this.watches.values()) watch.kill();
  }
}

/** One agent's files, followed: its output reported as it comes, its end once its shim has recorded it. */
class AgentWatch {
  private readonly supervisor: AgentSupervisor;
  private readonly agentId: string;
  private readonly started: KeptAgent;
  private readonly files: AgentFiles;
  private readonly pump: OutputPump;
  private readonly splitters: Record<'stdout' | 'stderr', LineSplitter>;
  private readonly fds: Partial<Record<'stdout' | 'stderr', number>> = {};
  private readonly limits: SupervisorLimits;
  private readonly timeoutSec: number | undefined;
  private readonly logger: Logger;
  private timeout: NodeJS.Timeout | undefined;
  private ending = false;
  private pulls = 0;
  private reporting: Promise<void> = Promise.resolve();

  constructor(supervisor: AgentSupervisor, agentId: string, kept: KeptAgent, files: AgentFiles, limits: SupervisorLimits, timeoutSec: number | undefined, logger: Logger) {
    this.supervisor = supervisor;
    this.agentId = agentId;
    this.started = kept;
    this.files = files;
    this.limits = limits;
    this.timeoutSec = timeoutSec;
    this.logger = logger;
    this.pump = new OutputPump(agentId, limits, kept.delivered, (events) => supervisor.deliver(events), (offsets) => this.delivered(offsets));
    this.splitters = {
      stdout: new LineSplitter(kept.delivered.stdout, (line, at, next) => this.pump.line('stdout', line, at, next)),
      stderr: new LineSplitter(kept.delivered.stderr, (line, at, next) => this.pump.line('stderr', line, at, next)),
    };
    if (kept.stoppedBy !== undefined) this.terminate();
    else if (timeoutSec !== undefined) {
      const left = Date.parse(kept.startedAt) + timeoutSec * 1000 - Date.now();
      this.timeout = setTimeout(() => {
        supervisor.keep(agentId, { timedOut: true });
        this.terminate();
      }, Math.max(0, left));
    }
  }

  /** What the state keeps of the agent now (a stop or a timeout changes it). */
  private get kept(): KeptAgent {
    return this.supervisor.keptOf(this.agentId) ?? this.started;
  }

  /** Reads what the agent wrote since the last look, reports its new commits (about once a second), and its end once it has one. */
  pull(): void {
    if (this.ending) return;
    this.read('stdout');
    this.read('stderr');
    if (++this.pulls % 10 === 0) void this.reportCommits();
    const end = endOf(this.files.status) ?? (alive(this.kept.shimPid) ? undefined : (endOf(this.files.status) ?? { code: null, signal: null, error: 'its shim ended without saying how the agent ended (was it killed?)' }));
    if (end !== undefined) void this.end(end);
  }

  message(line: string): void {
    if (this.kept.stdin === 'messages') writeStdin(this.files, line);
  }

  /** SIGTERM to its process group now, SIGKILL once the grace period has passed and it still runs. */
  terminate(): void {
    if (this.kept.pid === null) return;
    const pid = this.kept.pid;
    signalGroup(pid, 'SIGTERM');
    setTimeout(() => {
      if (!this.ending) signalGroup(pid, 'SIGKILL');
    }, this.limits.stopGraceMs).unref();
  }

  kill(): void {
    if (this.kept.pid !== null && !this.ending) signalGroup(this.kept.pid, 'SIGKILL');
  }

  flush(): Promise<unknown> {
    return this.pump.flush();
  }

  close(): void {
    clearTimeout(this.timeout);
    for (const fd of Object.values(this.fds)) closeSync(fd);
  }

  private read(stream: 'stdout' | 'stderr'): void {
    if (this.fds[stream] === undefined) {
      try {
        this.fds[stream] = openSync(this.files[stream], 'r');
      } catch {
        return;
      }
    }
    const buffer = Buffer.allocUnsafe(64 * 1024);
    const splitter = this.splitters[stream];
    for (;;) {
      const n = readSync(this.fds[stream]!, buffer, 0, buffer.length, splitter.offset);
      if (n === 0) return;
      splitter.push(buffer.subarray(0, n));
    }
  }

  private delivered(offsets: OutputOffsets): void {
    if (this.supervisor.closed) return;
    this.supervisor.keep(this.agentId, { delivered: offsets });
  }

  /** Reports the commits on the agent's branch not reported yet, oldest first, one report at a time. */
  private reportCommits(): Promise<void> {
    this.reporting = this.reporting.then(async () => {
      const { worktree, lastCommit } = this.kept;
      if (worktree === undefined) return;
      const commits = commitsSince(worktree, lastCommit);
      if (commits.length === 0) return;
      await this.supervisor.deliver(
        commits.map((commit) => ({ type: 'workspace.committed', agentId: this.agentId, data: { ...commit, branch: worktree.branch }, idempotencyKey: `workspace:${this.agentId}:commit:${commit.sha}` })),
      );
      this.supervisor.keep(this.agentId, { lastCommit: commits.at(-1)!.sha });
    }).catch((error: unknown) => {
      if (!this.supervisor.closed) this.logger.warn({ err: error, agentId: this.agentId }, 'could not report the commits of an agent');
    });
    return this.reporting;
  }

  /** Reports the end after every line and commit before it, then forgets the agent and its files. */
  private async end(end: AgentEnd): Promise<void> {
    this.ending = true;
    clearTimeout(this.timeout);
    this.read('stdout');
    this.read('stderr');
    this.splitters.stdout.end();
    this.splitters.stderr.end();
    const { stoppedBy, timedOut } = this.kept;
    const { code, signal, error } = end;
    const event =
      stoppedBy !== undefined
        ? ended(this.agentId, 'agent.exited', { code, signal, stoppedBy })
        : code === 0 && !timedOut && error === undefined
          ? ended(this.agentId, 'agent.exited', { code })
          : ended(this.agentId, 'agent.failed', {
              code,
              signal,
              error: error ?? (timedOut ? `timed out after ${this.timeoutSec} s` : signal ? `killed by ${signal}` : `exited with code ${code}`),
              stderrTail: this.pump.stderrTail,
            });
    try {
      await this.pump.flush();
      const { worktree } = this.kept;
      if (worktree) {
        await this.reportCommits();
        await this.supervisor.deliver([{ type: 'workspace.finished', agentId: this.agentId, data: finished(worktree), idempotencyKey: `workspace:${this.agentId}:finished` }]);
      }
      await this.supervisor.deliver([event]);
    } catch (failure) {
      // The runner is closing: the next start adopts the agent again and reports its end then.
      if (this.supervisor.closed) return;
      this.logger.error({ err: failure, agentId: this.agentId }, 'the hub refused the end of an agent');
    }
    this.close();
    rmSync(this.files.dir, { recursive: true, force: true });
    rmSync(this.kept.ownDir, { recursive: true, force: true });
    await this.supervisor.forget(this.agentId);
  }
}

/** The one event that says how an agent ended: keyed, so however often it is reported, it is stored once. */
function ended(agentId: string, type: 'agent.exited' | 'agent.failed', data: Record<string, unknown>): EventAppend {
  return { type, agentId, data, idempotencyKey: `agent:${agentId}:ended` };
}

import { statSync } from 'node:fs';
import { arch, platform } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { backoffDelay, sleep } from '../client/backoff.ts';
import { HubClientError } from '../client/errors.ts';
import type { HubClient } from '../client/hub-client.ts';
import type { RunnerRegistration } from '../client/views.ts';
import type { AgentTemplate, HubConfig } from '../config.ts';
import type { StateStore } from '../process/state-file.ts';
import { type SystemAccount, systemAccount } from '../system-account.ts';
import { agentAccount } from './environment.ts';
import { type PathStat, templateReachProblem } from './rules.ts';
import { openRunnerState, type RunnerState } from './state.ts';
import { AgentSupervisor } from './supervisor.ts';

export interface RunnerOptions {
  client: HubClient;
  /** The hub's URL as agents call it. */
  hubUrl: string;
  config: HubConfig;
  /** Where it keeps its state and its agents' output, readable by it alone. */
  stateDir: string;
  account: SystemAccount | undefined;
  environment: Readonly<Record<string, string | undefined>>;
  reachProblem(template: string): string | undefined;
  logger: Logger;
}

/** The templates of `config` the runner may run: those `runner.templates` names (`*`: all). */
export function allowedTemplates(config: HubConfig): Record<string, AgentTemplate> {
  const allowed = config.runner.templates;
  return Object.fromEntries(Object.entries(config.templates).filter(([name]) => allowed.includes('*') || allowed.includes(name)));
}

/**
 * Who the runner's agents run as (`runner.runAs` when it runs as root, else its own user, which it
 * warns of) and why a template cannot start as them; each template that cannot is warned of now.
 */
export function agentIdentity(config: HubConfig, logger: Logger): Pick<RunnerOptions, 'account' | 'reachProblem'> {
  const templates = allowedTemplates(config);
  const account = agentAccount(process.getuid?.(), config.runner.runAs, systemAccount, logger);
  // Asked again at each start, so a directory opened up since needs no restart.
  const reachProblem = (name: string) => (account && Object.hasOwn(templates, name) ? templateReachProblem(name, templates[name]!, account, pathStat) : undefined);
  for (const name of Object.keys(templates)) {
    const unreachable = reachProblem(name);
    if (unreachable) logger.warn({ template: name }, unreachable);
  }
  return { account, reachProblem };
}

function pathStat(at: string): PathStat | undefined {
  const found = statSync(at, { throwIfNoEntry: false });
  return found && { uid: found.uid, gid: found.gid, mode: found.mode, directory: found.isDirectory() };
}

/** What the runner tells the hub of itself: its name, labels (os, arch and its own), capacity and templates. */
export function registrationOf(config: HubConfig, agents: string[]): RunnerRegistration {
  return {
    name: config.runner.name,
    labels: { os: platform(), arch: arch(), ...config.runner.labels },
    capacity: config.runner.capacity,
    templates: Object.keys(allowedTemplates(config)),
    agents,
  };
}

/**
 * The runner service: registers with the hub, long-polls its work (assigned agents, stops,
 * messages) from a cursor it keeps, and runs its agents through the supervisor. Waits out a hub
 * that is away; registers again whenever the hub has marked it offline.
 */
export class Runner {
  private readonly options: RunnerOptions;
  private store: StateStore<RunnerState> | undefined;
  private supervisor: AgentSupervisor | undefined;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  /** Set once registered: its id, fixed by its token. */
  runnerId: string | undefined;
  /** Resolves with its id once it has first registered. */
  readonly registered: Promise<string>;
  private onRegistered!: (runnerId: string) => void;

  constructor(options: RunnerOptions) {
    this.options = options;
    this.registered = new Promise((resolve) => (this.onRegistered = resolve));
  }

  /** Adopts the agents its state names, then registers and polls in the background. */
  async start(): Promise<void> {
    const { config, stateDir } = this.options;
    this.store = await openRunnerState(path.join(stateDir, 'state.json'));
    this.supervisor = new AgentSupervisor({
      ...this.options,
      store: this.store,
      templates: allowedTemplates(config),
      limits: config.spawn,
      workspacesDir: config.runner.workspacesDir,
      worktreeRetentionMs: config.runner.worktreeRetentionSec * 1000,
    });
    this.supervisor.adopt();
    this.loop = this.run(this.store, this.supervisor);
  }

  private async run(store: StateStore<RunnerState>, supervisor: AgentSupervisor): Promise<void> {
    const { client, config, logger } = this.options;
    const signal = this.stopping.signal;
    let registered = false;
    let maxWaitMs = 0;
    for (let failures = 0; !signal.aborted; ) {
      try {
        if (!registered) {
          const receipt = await client.runners.register(registrationOf(config, supervisor.agentIds()), { signal });
          this.runnerId = receipt.runnerId;
          maxWaitMs = receipt.maxPollWaitMs;
          registered = true;
          this.onRegistered(receipt.runnerId);
          logger.info({ runnerId: receipt.runnerId, runnerName: config.runner.name }, `runner ${config.runner.name} registered`);
        }
        const page = await client.runners.work(this.runnerId!, store.state.cursor, Math.min(config.runner.pollWaitMs, maxWaitMs), { signal });
        for (const item of page.work) await supervisor.handle(this.runnerId!, item);
        store.update((state) => ({ ...state, cursor: page.after }));
        await store.save();
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        if (error instanceof HubClientError && error.status === 409) {
          registered = false;
          continue;
        }
        failures += 1;
        const refused = error instanceof HubClientError && (error.status === 401 || error.status === 403);
        // A refused token needs a person: say so at every try (every 30 s), not once.
        if (refused) logger.error(`the hub refuses the runner's token (${error.detail}): mint a runner token (mc tokens create --role runner) and give it as MC_RUNNER_TOKEN_FILE; the agents run on meanwhile`);
        else if (failures === 1) logger.warn({ err: error }, `the runner cannot reach the hub (${(error as Error).message}); it keeps its agents running and tries again`);
        await sleep(refused ? 30_000 : backoffDelay(failures, { baseMs: 200, maxMs: 5000 }), signal).catch(() => undefined);
      }
    }
  }

  /** Stops polling and following; the agents run on, and the next start adopts them. */
  async close(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await this.supervisor?.close();
    await this.store?.save();
  }

  /** Kills every agent it runs, then closes: a runner taken down with its agents. */
  async closeWithAgents(): Promise<void> {
    this.supervisor?.killAll();
    await this.close();
  }
}

import type { Logger } from 'pino';
import { revokeAgentTokens } from '../auth/tokens.ts';
import type { EventFrame, NewEvent } from '../log/event.ts';
import type { EventAppender } from '../log/group-commit.ts';
import { newEvent } from '../log/new-event.ts';
import type { EventFanout, FanoutSubscriber } from '../stream/fanout.ts';
import { type OutputLimits, OutputPump } from './output.ts';
import type { AgentProcess, AgentRunner, RunSpec } from './runner.ts';

interface Running {
  process: AgentProcess;
  stdin: RunSpec['stdin'];
  /** Who asked to stop it, once someone has: its end is then an exit, not a failure. */
  stoppedBy?: string;
}

/** What the supervisor is tuned by: the output limits, and how long a stopped agent has before SIGKILL. */
export type SupervisorLimits = OutputLimits & { stopGraceMs: number };

/** Logs how an agent ended and, in the same transaction, revokes its token: an ended agent speaks no more. */
export async function logEnd(appender: EventAppender, agentId: string, ended: NewEvent): Promise<void> {
  await appender.execute(async (trx) => {
    await revokeAgentTokens(trx, agentId);
    return [ended];
  });
}

/**
 * Owns the agents this hub started: logs their output, their exit or failure, and hands them
 * injected messages on stdin (whichever hub the inject came through: it watches the log).
 */
export class AgentSupervisor implements FanoutSubscriber {
  private readonly runner: AgentRunner;
  private readonly appender: EventAppender;
  private readonly fanout: EventFanout;
  private readonly limits: SupervisorLimits;
  private readonly logger: Logger;
  private readonly running = new Map<string, Running>();
  /** Each running agent's exit handling, until its end is in the log. */
  private readonly endings = new Set<Promise<void>>();
  private unsubscribe: (() => void) | undefined;

  constructor(runner: AgentRunner, appender: EventAppender, fanout: EventFanout, limits: SupervisorLimits, logger: Logger) {
    this.runner = runner;
    this.appender = appender;
    this.fanout = fanout;
    this.limits = limits;
    this.logger = logger;
  }

  get position(): number {
    return this.fanout.head;
  }

  /** Starts the agent and logs `agent.spawned`; its output and end are logged as they happen. */
  async launch(spec: RunSpec, timeoutSec: number | undefined): Promise<void> {
    this.unsubscribe ??= this.fanout.subscribe(this);
    const pump = new OutputPump(spec.agentId, this.limits, (events) => this.appender.append(events));
    const process = await this.runner.start(spec, (stream, line) => pump.line(stream, line));
    const running: Running = { process, stdin: spec.stdin };
    this.running.set(spec.agentId, running);
    await this.appender.append([
      newEvent({ type: 'agent.spawned', data: { runner: this.runner.name, ...(process.pid ? { pid: process.pid } : {}) }, actor: 'hub', agentId: spec.agentId, idempotencyKey: `agent:${spec.agentId}:spawned` }),
    ]);
    let timedOut = false;
    const timer = timeoutSec
      ? setTimeout(() => {
          timedOut = true;
          terminate(process, this.limits.stopGraceMs);
        }, timeoutSec * 1000)
      : undefined;
    const ending = process.exited.then(async ({ code, signal }) => {
      clearTimeout(timer);
      this.running.delete(spec.agentId);
      await pump.flush();
      const key = `agent:${spec.agentId}:ended`;
      const { stoppedBy } = running;
      const ended =
        stoppedBy !== undefined
          ? newEvent({ type: 'agent.exited', data: { code, signal, stoppedBy }, actor: 'hub', agentId: spec.agentId, idempotencyKey: key })
          : code === 0 && !timedOut
          ? newEvent({ type: 'agent.exited', data: { code }, actor: 'hub', agentId: spec.agentId, idempotencyKey: key })
          : newEvent({
              type: 'agent.failed',
              data: { code, signal, error: timedOut ? `timed out after ${timeoutSec} s` : signal ? `killed by ${signal}` : `exited with code ${code}`, stderrTail: pump.stderrTail },
              actor: 'hub',
              agentId: spec.agentId,
              idempotencyKey: key,
            });
      await logEnd(this.appender, spec.agentId, ended).catch((error: unknown) => this.logger.error({ err: error, agentId: spec.agentId }, 'could not log the end of an agent'));
    });
    this.endings.add(ending);
    void ending.finally(() => this.endings.delete(ending));
  }

  /** True while this hub runs the agent. */
  runs(agentId: string): boolean {
    return this.running.has(agentId);
  }

  deliver(frames: readonly EventFrame[]): void {
    for (const frame of frames) {
      if (frame.type === 'agent.stop_requested' && frame.agentId !== null) this.stopOne(frame);
      if (frame.type !== 'agent.message_injected' || frame.agentId === null) continue;
      const agent = this.running.get(frame.agentId);
      if (agent?.stdin !== 'messages') continue;
      const { id, data } = JSON.parse(frame.wire) as { id: string; data: { message: string; from: string } };
      agent.process.writeLine(JSON.stringify({ id, message: data.message, from: data.from }));
    }
  }

  /** An operator's stop, whichever hub it came through: SIGTERM now, SIGKILL once the grace period has passed. */
  private stopOne(frame: EventFrame): void {
    const agent = this.running.get(frame.agentId!);
    if (agent === undefined || agent.stoppedBy !== undefined) return;
    agent.stoppedBy = (JSON.parse(frame.wire) as { data: { by: string } }).data.by;
    terminate(agent.process, this.limits.stopGraceMs);
  }

  /** The fan-out is closing: stop watching the log. */
  close(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** The hub is going away: stop the agents it started (SIGTERM, then SIGKILL) and log how each ended. */
  async stop(graceMs = 2000): Promise<void> {
    this.close();
    for (const agent of this.running.values()) terminate(agent.process, graceMs);
    await Promise.all(this.endings);
  }
}

/** SIGTERM now, and SIGKILL if the agent has not ended once `graceMs` has passed. */
function terminate(process: AgentProcess, graceMs: number): void {
  process.kill('SIGTERM');
  const kill = setTimeout(() => process.kill('SIGKILL'), graceMs);
  kill.unref();
  void process.exited.then(() => clearTimeout(kill));
}

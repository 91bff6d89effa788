import type { Logger } from 'pino';
import { backoffDelay, sleep } from '../client/backoff.ts';
import { HubClientError } from '../client/errors.ts';
import { HubClient } from '../client/hub-client.ts';
import { hubBaseUrl } from '../client/hub-request.ts';
import type { EventEnvelope, LogHead } from '../client/views.ts';
import { followedTypes } from './config.ts';
import { hubLogId, postCallback } from './deliver.ts';
import { type HealDeps, effectOf } from './heal.ts';
import { type HealerHub, healerHub } from './hub-actions.ts';
import { Outbox } from './outbox.ts';
import type { HealerConfig } from './playbook.ts';
import { HealerStateStore } from './state-file.ts';
import { type EventEffect, applyEffect, startOver } from './state.ts';
import { type StreamStatus, watchedFetch } from './stream-watch.ts';

export interface HealerOptions {
  hubUrl: string;
  token: string;
  /** The Standard Webhooks secret, `whsec_<base64>`. */
  secret: string;
  config: HealerConfig;
  statePath: string;
  logger: Logger;
  fetch?: typeof fetch;
  /** The hub calls; default: over HTTP with `token`. */
  hub?: HealerHub;
  now?: () => Date;
  /** How long a stop waits for the event in hand and the outbox before cutting requests off (default 3 s). */
  stopGraceMs?: number;
}

export interface Readiness {
  ready: boolean;
  reason: string;
}

const retryWait = { baseMs: 500, maxMs: 30_000 };
// A decision answered before the hub's answer to our escalation reached us must still find it.
const escalationWaitMs = 30_000;

/**
 * The healer: follows failure events from its stored cursor, handles each one fully (act, queue
 * the callback, advance the cursor, write the state file) before the next, and delivers callbacks
 * from the outbox. Any crash leaves at most the last event to handle again, which repeats nothing.
 */
export class Healer {
  private readonly options: HealerOptions;
  private readonly url: string;
  private store: HealerStateStore | undefined;
  private outbox: Outbox | undefined;
  private stream: StreamStatus = { connected: false, reason: 'the event stream is not connected yet' };
  private stuck: string | undefined;
  /** The outbox's delivery count when waiting for it last timed out: no new wait until it moves. */
  private gaveUpWaitingAt: number | undefined;
  private following: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private readonly abort = new AbortController();
  private readonly deps: HealDeps;

  constructor(options: HealerOptions) {
    this.options = options;
    this.url = hubBaseUrl(options.hubUrl);
    const hub = options.hub ?? healerHub(new HubClient({ url: this.url, token: options.token, fetch: options.fetch }));
    this.deps = { hub, playbooks: options.config.playbooks, logger: options.logger, stopping: this.stopping.signal, abort: this.abort.signal };
  }

  /** Loads the state file, then follows the log and delivers the outbox in the background. */
  async start(): Promise<void> {
    const { logger, statePath } = this.options;
    const store = await HealerStateStore.open(statePath);
    this.store = store;
    const doFetch = this.options.fetch ?? fetch;
    const versionzLogId = hubLogId(this.url, doFetch);
    // Callbacks name the log their failures came from; /versionz only before a stream named it.
    const logId = (signal: AbortSignal) => (store.state.logId !== undefined ? Promise.resolve(store.state.logId) : versionzLogId(signal));
    const target = { url: this.url, secret: this.options.secret, fetch: doFetch, now: this.now, logId };
    this.outbox = new Outbox({ store, logger, send: (entry, signal) => postCallback(target, entry, signal) });
    this.outbox.start();
    const { cursor, logId: stateLogId, outbox } = store.state;
    logger.info({ statePath, cursor, logId: stateLogId, outbox: outbox.length, playbooks: this.options.config.playbooks.map((p) => p.name) }, `healer state loaded; following the log after seq ${cursor}`);
    this.following = this.follow(store);
  }

  readiness(): Readiness {
    if (this.stopping.signal.aborted) return { ready: false, reason: 'the healer is stopping' };
    if (!this.store) return { ready: false, reason: 'the state file is not loaded yet' };
    if (!this.stream.connected) return { ready: false, reason: this.stream.reason };
    if (this.stuck !== undefined) return { ready: false, reason: this.stuck };
    return { ready: true, reason: 'ready' };
  }

  /** Finishes the event in hand (cut off after the grace period: it is then handled again after a restart), delivers what it can, writes the state. */
  async stop(): Promise<void> {
    const grace = this.options.stopGraceMs ?? 3000;
    const started = Date.now();
    this.stopping.abort(new Error('the healer is stopping'));
    const cutOff = setTimeout(() => this.abort.abort(new Error('the healer stopped before the hub answered')), grace);
    await this.following;
    clearTimeout(cutOff);
    await this.outbox?.stop(Math.max(0, grace - (Date.now() - started)));
    await this.store?.save();
  }

  private readonly now = (): Date => (this.options.now ?? (() => new Date()))();

  private async follow(store: HealerStateStore): Promise<void> {
    const { logger, token } = this.options;
    const types = followedTypes(this.options.config);
    const watched = watchedFetch(this.url, this.options.fetch ?? fetch, (status) => {
      if (this.stopping.signal.aborted) return;
      if (status.connected !== this.stream.connected) logger.info({ connected: status.connected, reason: status.reason }, status.connected ? 'event stream connected' : 'event stream down');
      this.stream = status;
    });
    // A client of its own for the stream, so only the stream's connection is watched.
    const streaming = new HubClient({ url: this.url, token, fetch: watched });
    while (!this.stopping.signal.aborted) {
      try {
        const { cursor: after, logId } = store.state;
        const onLog = (log: LogHead) => {
          if (logId !== undefined) return;
          store.update((state) => ({ ...state, logId: log.logId }));
          store.save().catch((error: unknown) => logger.error({ err: error }, 'could not write the state file'));
        };
        for await (const event of streaming.events.subscribe({ types, after, logId, onLog, signal: this.stopping.signal })) {
          await this.handle(store, event);
        }
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        if (error instanceof HubClientError && (error.code === 'log_changed' || error.code === 'cursor_past_head')) {
          // A fresh database, a wiped log or another hub: waiting for its seq to reach the cursor would skip every failure before it.
          const { cursor, logId } = store.state;
          logger.error({ code: error.code, cursor, logId }, `${error.detail}; the healer starts over from the beginning of this log`);
          store.update(startOver);
          await store.saveSurely(this.stopping.signal, (e, failures) => logger.error({ err: e, file: store.file, failures }, 'could not write the state file; trying again')).catch(() => undefined);
          continue;
        }
        // A refused token or a forbidden stream: nothing a quick retry cures, but a fixed hub might.
        this.stream = { connected: false, reason: `the hub refused the event stream: ${(error as Error).message}` };
        logger.error({ err: error }, 'the hub refused the event stream; trying again in 30 s');
        await sleep(30_000, this.stopping.signal).catch(() => undefined);
      }
    }
  }

  /** Handles one event fully before the next; what a retry may cure is retried, the event is never skipped. */
  private async handle(store: HealerStateStore, event: EventEnvelope): Promise<void> {
    const { logger } = this.options;
    let effect: EventEffect;
    for (let failures = 0; ; ) {
      try {
        await this.awaitOwnEscalations(store, event);
        effect = await effectOf(this.deps, store.state, event);
        break;
      } catch (error) {
        if (this.stopping.signal.aborted) throw error;
        failures += 1;
        const waitMs = backoffDelay(failures, retryWait);
        if (failures >= 3) this.stuck = `stuck on event ${event.seq} (${event.type}): ${(error as Error).message}`;
        logger.warn({ err: error, seq: event.seq, type: event.type, failures, waitMs }, `could not handle event ${event.seq}; trying again`);
        await sleep(waitMs, this.stopping.signal);
      }
    }
    this.stuck = undefined;
    store.update((state) => applyEffect(state, effect, event.seq, this.now(), this.options.config.forgetAfterMs));
    const changed = effect.outcome !== undefined || effect.closes !== undefined || effect.moves !== undefined;
    // An event that changed nothing need not wait for the disk: handling it again would change nothing either.
    if (!changed) return void store.save().catch((error: unknown) => logger.error({ err: error }, 'could not write the state file'));
    await store.saveSurely(this.stopping.signal, (error, failures) => logger.error({ err: error, file: store.file, failures }, 'could not write the state file; trying again'));
    this.outbox?.kick();
  }

  /** Before an answer to an unknown decision: let escalations still in the outbox learn their decision ids. */
  private async awaitOwnEscalations(store: HealerStateStore, event: EventEnvelope): Promise<void> {
    if (!event.type.startsWith('decision.') || event.decisionId === undefined || store.state.escalations[event.decisionId]) return;
    const outbox = this.outbox!;
    if (!store.state.outbox.some((e) => e.type === 'heal.escalated') || this.gaveUpWaitingAt === outbox.delivered) return;
    if (await outbox.escalationsSent(escalationWaitMs)) return;
    this.gaveUpWaitingAt = outbox.delivered;
    this.options.logger.warn({ decisionId: event.decisionId }, 'escalations are still undelivered; an answer to one of them may go unseen');
  }
}

import type { Logger } from 'pino';
import { backoffDelay, sleep } from '../client/backoff.ts';
import { HubClientError } from '../client/errors.ts';
import type { CallbackReceipt } from './deliver.ts';
import { refusedForGood } from './deliver.ts';
import type { HealerStateStore } from './state-file.ts';
import { type OutboxEntry, acknowledge } from './state.ts';

export interface OutboxOptions {
  store: HealerStateStore;
  send(entry: OutboxEntry, signal: AbortSignal): Promise<CallbackReceipt>;
  logger: Logger;
  retry?: { baseMs: number; maxMs: number };
}

/**
 * Delivers the callbacks in the state's outbox, oldest first, one at a time. A callback leaves the
 * outbox (and the file) only once the hub acknowledged it; while the hub is down, it retries with
 * exponential backoff. Callbacks queued before a restart are delivered after it.
 */
export class Outbox {
  private readonly options: OutboxOptions;
  private readonly stopping = new AbortController();
  /** Cuts a retry's wait short when the healer stops. */
  private readonly napping = new AbortController();
  private closing = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly progress = new Set<() => void>();
  /** How many callbacks the hub has acknowledged since the start. */
  delivered = 0;

  constructor(options: OutboxOptions) {
    this.options = options;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** New callbacks are queued: deliver them now rather than at the next retry. */
  kick(): void {
    this.wake?.();
  }

  /** Resolves true once no heal.escalated waits in the outbox (its decision id is known), false after `timeoutMs`. */
  async escalationsSent(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.options.store.state.outbox.some((e) => e.type === 'heal.escalated')) {
      const left = deadline - Date.now();
      if (left <= 0 || this.stopping.signal.aborted) return false;
      this.kick();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 250));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.progress.add(done);
      });
    }
    return true;
  }

  /** Delivers what it can within `graceMs` (no more retries), then stops; what is left stays in the file. */
  async stop(graceMs: number): Promise<void> {
    this.closing = true;
    this.wake?.();
    this.napping.abort();
    const timer = setTimeout(() => this.stopping.abort(new Error('the healer is stopping')), graceMs);
    await this.running;
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    const { store, logger } = this.options;
    const retry = this.options.retry ?? { baseMs: 500, maxMs: 30_000 };
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      const entry = store.state.outbox[0];
      if (!entry) {
        if (this.closing) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      try {
        const receipt = await this.options.send(entry, this.stopping.signal);
        const decisionId = entry.type === 'heal.escalated' ? receipt.decisionId : undefined;
        if (entry.type === 'heal.escalated' && decisionId === undefined) logger.warn({ webhookId: entry.webhookId }, 'the hub opened no decision for an escalation: an answer to it cannot be followed');
        store.update((state) => acknowledge(state, entry.webhookId, decisionId));
        logger.info({ webhookId: entry.webhookId, type: entry.type, decisionId, deduped: receipt.deduped }, `callback ${entry.type} delivered`);
        failures = 0;
        this.delivered += 1;
        await store.save().catch((error: unknown) => logger.error({ err: error }, 'could not write the state file; retrying with the next change'));
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        if (error instanceof HubClientError && refusedForGood(error.status)) {
          // The same bytes would be refused again: keep the outbox moving, and say so loudly.
          logger.error({ err: error, webhookId: entry.webhookId, data: entry.data }, `the hub refused callback ${entry.type} for good; dropping it`);
          store.update((state) => acknowledge(state, entry.webhookId));
          await store.save().catch(() => undefined);
          continue;
        }
        failures += 1;
        const waitMs = backoffDelay(failures, retry);
        logger.warn({ err: error, webhookId: entry.webhookId, failures, waitMs }, `callback ${entry.type} not delivered; retrying`);
        if (this.closing) return;
        await sleep(waitMs, this.napping.signal).catch(() => undefined);
      } finally {
        for (const notify of this.progress) notify();
        this.progress.clear();
      }
    }
  }
}

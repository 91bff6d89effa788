import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Database } from './db/schema.ts';
import type { TimerJob } from './feature.ts';

/** The advisory lock a hub holds while it runs the timers. */
export const timersLockKey = 0x6d6374696d;

/**
 * Runs the features' timers every `tickMs`. Their state lives in the views, never only in
 * memory, so a restart loses nothing; a lock makes one hub at a time run them, and the events
 * they append carry keys derived from their cause, so a second run appends nothing new.
 */
export class TimerRunner {
  private readonly db: Kysely<Database>;
  private readonly jobs: readonly TimerJob[];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<boolean> | undefined;

  constructor(db: Kysely<Database>, jobs: readonly TimerJob[], clock: Clock, logger: Logger) {
    this.db = db;
    this.jobs = jobs;
    this.clock = clock;
    this.logger = logger;
  }

  start(tickMs: number): void {
    this.timer = setInterval(() => void this.tick(), tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs every job once if this hub gets the lock; true when it did. */
  tick(): Promise<boolean> {
    this.running ??= this.runOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runOnce(): Promise<boolean> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${timersLockKey}) AS locked`.execute(trx);
        if (!rows[0]?.locked) return false;
        const now = this.clock.now();
        for (const job of this.jobs) {
          try {
            await job.run(now);
          } catch (error) {
            this.logger.warn({ err: error, timer: job.name }, 'timer failed; it runs again next tick');
          }
        }
        return true;
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'timers skipped: the database is unreachable');
      return false;
    }
  }
}

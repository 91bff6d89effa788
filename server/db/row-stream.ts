import pg from 'pg';

/**
 * A query whose rows are handed over as they arrive: the dialect's `cursor`, which kysely's
 * `stream()` reads. A server-side cursor asks for each chunk in turn, so the database idles while
 * the reader works on the last one; here the database sends its whole result at once and the
 * reader works on the rows it has while the rest arrive. For results bounded in size (a page of
 * the log): rows the reader has not taken yet wait in memory.
 */
export class RowStream<R = Record<string, unknown>> extends pg.Query {
  private arrived: R[] = [];
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(text: string, values: unknown[]) {
    super(text, values);
    // Listening for rows also tells pg not to gather them into a result of its own.
    this.on('row', (row: R) => {
      this.arrived.push(row);
      this.wake?.();
    });
    this.on('end', () => this.finish(undefined));
    this.on('error', (error: Error) => this.finish(error));
  }

  /** The rows come since the last read (at most `maxRows`), waiting for one; none once the result has ended. */
  async read(maxRows: number): Promise<R[]> {
    await this.arrival();
    if (this.failure) throw this.failure;
    return this.arrived.splice(0, maxRows);
  }

  /** Waits for the rest of the result, unread (the connection goes back to the pool only once it has ended). */
  async close(): Promise<void> {
    while (!this.ended) {
      this.arrived = [];
      await this.arrival();
    }
    this.arrived = [];
  }

  private arrival(): Promise<void> {
    if (this.arrived.length > 0 || this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }

  private finish(failure: Error | undefined): void {
    this.failure = failure;
    this.ended = true;
    this.wake?.();
  }
}

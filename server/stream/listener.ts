import pg from 'pg';

export type ListenerState = 'connected' | 'polling' | 'stopped';

export interface LogListenerOptions {
  connection: pg.ClientConfig;
  channel: string;
  /** Poll interval while LISTEN is down. */
  pollMs: number;
  /** A slow safety poll while LISTEN is up, in case a notification is lost with a dying socket. */
  idlePollMs: number;
  /** `seq` is the newest position a NOTIFY announced, when the wake came from one. */
  onWake(seq?: number): void;
  onStateChange(state: ListenerState, error?: unknown): void;
}

/**
 * LISTEN is only a wake-up: a notification, a reconnect or a poll tick all just call `onWake`,
 * and the fan-out reads rows by cursor. While the connection is down the hub polls.
 */
export class LogListener {
  state: ListenerState = 'polling';
  private readonly options: LogListenerOptions;
  private client: pg.Client | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoffMs = 100;
  private stopped = false;

  constructor(options: LogListenerOptions) {
    this.options = options;
  }

  async start(): Promise<void> {
    this.schedulePoll();
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.setState('stopped');
    clearTimeout(this.pollTimer);
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.options.connection);
    client.on('notification', (message) => {
      const seq = Number(message.payload);
      this.options.onWake(Number.isSafeInteger(seq) && seq > 0 ? seq : undefined);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.stopped) {
      await client.end();
      return;
    }
    this.client = client;
    this.backoffMs = 100;
    this.setState('connected');
    this.schedulePoll();
    // Anything appended while we were not listening.
    this.options.onWake();
  }

  private lost(client: pg.Client, error?: unknown): void {
    if (this.stopped || (this.client !== undefined && this.client !== client)) return;
    if (this.client === client) this.client = undefined;
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.state !== 'polling') this.setState('polling', error);
    this.schedulePoll();
    if (this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, this.backoffMs);
    this.reconnectTimer.unref();
    this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
  }

  private setState(state: ListenerState, error?: unknown): void {
    this.state = state;
    this.options.onStateChange(state, error);
  }

  private schedulePoll(): void {
    clearTimeout(this.pollTimer);
    if (this.stopped) return;
    const ms = this.state === 'connected' ? this.options.idlePollMs : this.options.pollMs;
    this.pollTimer = setTimeout(() => {
      this.options.onWake();
      this.schedulePoll();
    }, ms);
    this.pollTimer.unref();
  }
}

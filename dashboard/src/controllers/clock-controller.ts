import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Re-renders its element every `ms` while it is on the page, for ticking ages and deadlines. */
export class ClockController implements ReactiveController {
  now = Date.now();
  readonly #host: ReactiveControllerHost;
  readonly #ms: number;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(host: ReactiveControllerHost, ms = 1000) {
    this.#host = host;
    this.#ms = ms;
    host.addController(this);
  }

  hostConnected(): void {
    this.#timer = setInterval(() => {
      this.now = Date.now();
      this.#host.requestUpdate();
    }, this.#ms);
  }

  hostDisconnected(): void {
    clearInterval(this.#timer);
  }
}

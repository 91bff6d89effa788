import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { problemText } from '../state/problem.ts';

/**
 * One action of an element at a time: `busy` while it runs (its buttons off), `error` in words
 * for a person when it failed. The element renders both; `run` asks it to render again. When a
 * run starts before the last one ended, the later one wins: the earlier one's end changes neither.
 */
export class ActionController implements ReactiveController {
  busy = false;
  error: string | undefined;
  readonly #host: ReactiveControllerHost;
  #runs = 0;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  /** Runs `action` with `busy` set and the last error cleared; resolves true when it succeeded, false when it failed (the failure is then `error`, unless a later run started). */
  async run(action: () => Promise<unknown>): Promise<boolean> {
    const run = ++this.#runs;
    this.busy = true;
    this.error = undefined;
    this.#host.requestUpdate();
    try {
      await action();
      return true;
    } catch (error) {
      if (run === this.#runs) this.error = problemText(error);
      return false;
    } finally {
      if (run === this.#runs) {
        this.busy = false;
        this.#host.requestUpdate();
      }
    }
  }
}

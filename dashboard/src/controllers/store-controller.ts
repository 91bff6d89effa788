import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Store } from '../state/store.ts';

/** Re-renders its element whenever a store changes; follows the store the getter names (it may arrive later). */
export class StoreController<T> implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #store: () => Store<T> | undefined;
  #subscribed: Store<T> | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(host: ReactiveControllerHost, store: () => Store<T> | undefined) {
    this.#host = host;
    this.#store = store;
    host.addController(this);
  }

  get value(): T | undefined {
    return this.#store()?.value;
  }

  hostConnected(): void {
    this.#follow();
  }

  hostUpdate(): void {
    this.#follow();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#subscribed = undefined;
  }

  #follow(): void {
    const store = this.#store();
    if (store === this.#subscribed) return;
    this.#unsubscribe?.();
    this.#subscribed = store;
    this.#unsubscribe = store?.subscribe(() => this.#host.requestUpdate());
  }
}

/** A value that tells its subscribers when it changes; the dashboard's one kind of state holder. */
export class Store<T> {
  #value: T;
  readonly #listeners = new Set<(value: T) => void>();

  constructor(initial: T) {
    this.#value = initial;
  }

  get value(): T {
    return this.#value;
  }

  /** Replaces the value and tells every subscriber (nothing happens when it is the same object). */
  set(next: T): void {
    if (Object.is(next, this.#value)) return;
    this.#value = next;
    for (const listener of [...this.#listeners]) listener(next);
  }

  update(change: (value: T) => T): void {
    this.set(change(this.#value));
  }

  /** Calls `listener` on every change until the returned function is called. */
  subscribe(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

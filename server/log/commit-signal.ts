/**
 * Tells whoever listens which event types this hub just committed: a wake that costs no read of
 * the log (the fan-out reads every event back, for the streams). Events other hubs commit are not
 * told here; their own hub's listeners hear of them.
 */
export class CommitSignal {
  private readonly listeners = new Set<(types: ReadonlySet<string>) => void>();

  /** Calls `listener` after each commit with the types it wrote; returns the way to stop. */
  listen(listener: (types: ReadonlySet<string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(types: ReadonlySet<string>): void {
    for (const listener of this.listeners) listener(types);
  }
}

/**
 * Runs `work` with a signal that aborts after `timeoutMs` or when `signal` does, and settles by
 * then whatever `work` does. Node's fetch follows the signal it is given through a weak reference
 * that garbage collection can cut (nodejs/node#55428); after that an abort never reaches the
 * request, which then waits for an answer that may never come. So the deadline does not rest on
 * the signal alone: its own timer rejects the call with a `TimeoutError` (or the caller's reason).
 */
export async function withDeadline<T>(timeoutMs: number, signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const cut = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }));
  const stop = () => controller.abort(signal!.reason);
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });
  try {
    return await Promise.race([work(controller.signal), cut]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
}

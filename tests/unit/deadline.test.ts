import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withDeadline } from '../../server/client/deadline.ts';

// Work that never settles and ignores its signal, as a fetch does once its abort was lost.
const deaf = () => new Promise<never>(() => {});

describe('withDeadline', () => {
  test('gives the work its value when it settles in time', async () => {
    assert.equal(await withDeadline(1000, undefined, async () => 42), 42);
  });

  test('rejects at the deadline with a TimeoutError even when the work ignores its signal', async () => {
    const started = performance.now();
    await assert.rejects(withDeadline(100, undefined, deaf), (error: unknown) => error instanceof DOMException && error.name === 'TimeoutError' && /100 ms/.test(error.message));
    assert.ok(performance.now() - started >= 95, 'not before the deadline');
  });

  test("rejects with the caller's reason when the caller stops, and aborts the work's signal", async () => {
    const stop = new AbortController();
    let given: AbortSignal | undefined;
    const running = withDeadline(60_000, stop.signal, (signal) => {
      given = signal;
      return deaf();
    });
    stop.abort(new Error('shutting down'));
    await assert.rejects(running, /shutting down/);
    assert.equal(given!.aborted, true);
  });

  test('a caller already stopped gets its reason at once', async () => {
    await assert.rejects(withDeadline(60_000, AbortSignal.abort(new Error('stopped before')), deaf), /stopped before/);
  });
});

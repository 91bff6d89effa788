import assert from 'node:assert/strict';

/** Polls `probe` every 50 ms until it returns something, or fails the test naming `what`. */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  for (const started = Date.now(); Date.now() - started < timeoutMs; await new Promise((r) => setTimeout(r, 50))) {
    const found = await probe();
    if (found !== undefined) return found;
  }
  assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

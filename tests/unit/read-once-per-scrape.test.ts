import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readOncePerScrape } from '../../server/ops/metrics.ts';

test('the gauges of one scrape share one read; the next scrape reads anew', async () => {
  let reads = 0;
  const read = readOncePerScrape(async () => ++reads);
  assert.deepEqual(await Promise.all([read(), read()]), [1, 1], 'collects that run together take the same answer');
  assert.equal(await read(), 2, 'a later scrape reads again');
});

test('a failed read fails the scrape it was for, and the next scrape tries again', async () => {
  let fail = true;
  const read = readOncePerScrape(async () => {
    if (fail) throw new Error('database down');
    return 'ok';
  });
  await assert.rejects(Promise.all([read(), read()]), /database down/);
  fail = false;
  assert.equal(await read(), 'ok');
});

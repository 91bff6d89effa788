import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { timeOrderedId } from '../../contracts/time-ordered-id.ts';
import { newIdempotencyKey } from '../../server/client/idempotency.ts';
import { newEvent } from '../../server/log/new-event.ts';

const shape = /^[0-9a-v]{10}[A-Za-z0-9_-]{14}$/;
// Byte order is what C and C.UTF-8 compare; an ICU collator stands in for the language collations (en_US...).
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const english = new Intl.Collator('en-US').compare;

describe('a time-ordered id', () => {
  test('is 24 URL-safe characters: 10 of time, 14 random', () => {
    for (const now of [0, 1, Date.now(), Date.UTC(3000, 0, 1)]) assert.match(timeOrderedId(now), shape);
  });

  test('made a millisecond later sorts after, in byte order and in a language collation, across every digit the time carries into', () => {
    const times = [0, 31, 32, 1023, 1024, 32 ** 4 - 1, Date.UTC(2026, 11, 1), 32 ** 9 - 1, 32 ** 9, 32 ** 10 - 2];
    for (const t of times) {
      const [before, after] = [timeOrderedId(t), timeOrderedId(t + 1)];
      assert.equal(byteOrder(before, after), -1, `${before} < ${after}`);
      assert.equal(english(before, after), -1, `${before} < ${after} (en-US)`);
    }
  });

  test('made in the same millisecond, still differs', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedId(1_700_000_000_000)));
    assert.equal(ids.size, 10_000);
  });

  test('names the events the hub makes and the keys the SDK makes', () => {
    const before = timeOrderedId();
    const event = newEvent({ type: 'x.id', actor: 'hub', data: {} });
    assert.match(event.id, shape);
    assert.equal(event.idempotencyKey, `auto:${event.id}`);
    assert.ok(event.id.slice(0, 10) >= before.slice(0, 10), `${event.id} was made after ${before}`);
    assert.match(newIdempotencyKey(), /^sdk:[0-9a-v]{10}[A-Za-z0-9_-]{14}$/);
  });
});

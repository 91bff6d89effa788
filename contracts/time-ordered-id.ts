import { nanoid } from 'nanoid';

// Base 32 in digits and lower-case letters: an order every common collation agrees on (C, C.UTF-8, en_US...).
const timeDigits = '0123456789abcdefghijklmnopqrstuv';

/**
 * A new unique id, URL-safe, that sorts after the ids made before it: 10 characters of the time in
 * milliseconds (base 32, good until the year 37648), then 14 random ones (a nanoid's, 84 bits).
 * A b-tree index takes each new id near its right-hand edge, in pages already in memory, instead
 * of at a random page: an append costs the database less (the log's `id` and `idempotency_key`
 * indexes), and the pages it touches stay few however long the log grows. Two ids of the same
 * millisecond still differ by their random part, as two nanoids would.
 */
export function timeOrderedId(now: number = Date.now()): string {
  let time = '';
  for (let rest = now, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) time = timeDigits[rest % 32] + time;
  return time + nanoid(14);
}

import { timeOrderedId } from '../../contracts/time-ordered-id.ts';

/** A new idempotency key: one per logical call, reused by every retry of it. */
export const newIdempotencyKey = (): string => `sdk:${timeOrderedId()}`;

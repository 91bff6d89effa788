import { createHash } from 'node:crypto';
import { customAlphabet } from 'nanoid';

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const randomPart = customAlphabet(alphabet, 16);

/** A fresh task id: `tsk_` and 16 letters or digits. */
export function newTaskId(): string {
  return `tsk_${randomPart()}`;
}

/** The task id a caller's idempotency key stands for: a retry names the same task, so its events are the same. */
export function taskIdForKey(actor: string, key: string): string {
  const digest = createHash('sha256').update(`${actor}\n${key}`).digest();
  let id = '';
  for (let i = 0; i < 16; i++) id += alphabet[digest[i]! % alphabet.length];
  return `tsk_${id}`;
}

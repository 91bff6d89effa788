import { customAlphabet } from 'nanoid';

const suffix = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 16);

/** A new decision id: `dec_` and 16 letters or digits. */
export function newDecisionId(): string {
  return `dec_${suffix()}`;
}

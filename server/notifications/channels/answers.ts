import type { AnswerLink } from '../model.ts';

// How every channel lays out the one-tap answers, so a person sees the same buttons, in the same
// order, by mail, in Slack and on the phone.

const foremost = ['approve', 'deny'];

/** The answers with approve and deny first (in that order), the rest as given: a channel that fits only a few keeps the two that matter most. */
export function answersInOrder(answers: readonly AnswerLink[]): AnswerLink[] {
  const rank = (a: AnswerLink) => (foremost.includes(a.outcome) ? foremost.indexOf(a.outcome) : foremost.length);
  return [...answers].sort((a, b) => rank(a) - rank(b));
}

/** A button's label: the outcome capitalised (`approve` → `Approve`). */
export function answerLabel(outcome: string): string {
  return outcome.charAt(0).toUpperCase() + outcome.slice(1);
}

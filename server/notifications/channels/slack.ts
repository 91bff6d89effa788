import type { ActionsBlock, Button, ContextBlock, KnownBlock, MrkdwnElement } from '@slack/types';
import type { Attempt, Notice } from '../model.ts';
import { answerLabel, answersInOrder } from './answers.ts';
import { postTo } from './http.ts';

// Block Kit's documented limits (docs.slack.dev/reference/block-kit): past them Slack refuses the
// whole message with invalid_blocks, so every piece is cut to fit rather than risk losing it all.
const headerMax = 150;
const sectionMax = 3000;
const buttonTextMax = 75;
const actionsMax = 25;

const answerStyle: Partial<Record<string, Button['style']>> = { approve: 'primary', deny: 'danger' };

/**
 * The Block Kit message an incoming webhook posts: the title as a header, the context, a line of
 * facts, and one link button per answer (the link opens the hub's confirmation page, so Slack
 * needs no interactivity of its own). `text` is what notifications and old clients show.
 */
export function slackMessage(notice: Notice): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: cut(notice.title, headerMax) } }];
  // A section's text may not be empty.
  if (notice.text !== '') blocks.push({ type: 'section', text: mrkdwn(notice.text, sectionMax) });
  blocks.push(facts(notice));
  const actions = buttons(notice);
  if (actions.elements.length > 0) blocks.push(actions);
  return { text: mrkdwn(`${notice.title}\n${notice.text}`, sectionMax).text, blocks };
}

/** POSTs the message to a Slack incoming webhook; a revoked one answers 410, a refused payload 400 (Slack's reason is in the body, unread). */
export function sendSlack(url: string, notice: Notice, timeoutMs: number, signal: AbortSignal): Promise<Attempt> {
  return postTo(url, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(slackMessage(notice)) }, timeoutMs, signal);
}

/** Risk, deadline (in the reader's own time zone, via Slack's date token) and decision id. */
function facts(notice: Notice): ContextBlock {
  const elements: MrkdwnElement[] = [{ type: 'mrkdwn', text: `*Risk:* ${notice.risk}` }];
  if (notice.deadline !== undefined) {
    const seconds = Math.floor(Date.parse(notice.deadline) / 1000);
    elements.push({ type: 'mrkdwn', text: `*Deadline:* <!date^${seconds}^{date_short_pretty} {time}|${escapeMrkdwn(notice.deadline)}>` });
  }
  if (notice.decisionId !== undefined) elements.push({ type: 'mrkdwn', text: `*Decision:* ${escapeMrkdwn(notice.decisionId)}` });
  return { type: 'context', elements };
}

/** One button per answer, approve and deny first, then the dashboard when the hub knows its URL; at most Slack's 25. */
function buttons(notice: Notice): ActionsBlock {
  const answers: Button[] = answersInOrder(notice.answers).map((answer, i) => ({
    type: 'button',
    action_id: `answer-${i}`,
    value: answer.outcome,
    text: { type: 'plain_text', text: cut(answerLabel(answer.outcome), buttonTextMax) },
    url: answer.url,
    style: answerStyle[answer.outcome],
  }));
  if (notice.page === undefined) return { type: 'actions', elements: answers.slice(0, actionsMax) };
  const dashboard: Button = { type: 'button', action_id: 'open-dashboard', text: { type: 'plain_text', text: 'Open in dashboard' }, url: notice.page };
  return { type: 'actions', elements: [...answers.slice(0, actionsMax - 1), dashboard] };
}

/** Escapes the three characters Slack's mrkdwn reserves for its own markup, as Slack documents. */
function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Escaped mrkdwn no longer than `max`, never ending in half an escape. */
function mrkdwn(text: string, max: number): MrkdwnElement {
  const escaped = escapeMrkdwn(text);
  return { type: 'mrkdwn', text: escaped.length <= max ? escaped : cut(escaped, max).replace(/&[a-z]*…$/, '…') };
}

/** `text` cut to at most `max` UTF-16 units, marked with an ellipsis, never splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 2)) ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

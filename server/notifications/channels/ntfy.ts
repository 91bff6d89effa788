import type { Risk } from '../../../contracts/vocabulary.ts';
import type { Attempt, Notice } from '../model.ts';
import { answerLabel, answersInOrder } from './answers.ts';
import { type HttpPost, postTo } from './http.ts';

// A publish to the person's topic URL with ntfy's headers (docs.ntfy.sh/publish), not the JSON
// publish to the server root: the contact point is the topic URL as the person's ntfy app shows
// it, and splitting it into server and topic would be a guess. HTTP header values must be ASCII
// (fetch refuses anything past Latin-1, and ntfy reads Latin-1 bytes as garbage), so, as ntfy
// documents for any header, a value with anything else is sent as an RFC 2047 encoded-word,
// which ntfy decodes; the Actions header is ntfy's documented JSON array, whose \u escapes keep
// it ASCII and whose links need none of the simple format's quoting of commas and semicolons.

const priority = { low: 2, medium: 3, high: 4, red: 5 } as const satisfies Record<Risk, number>;
const riskTag: Partial<Record<Risk, string>> = { high: 'warning', red: 'rotating_light' };

/** ntfy shows at most three action buttons and refuses a message with more. */
const actionsMax = 3;

/** The publish request for a notice: the text as the body, the rest as ntfy's headers. */
export function ntfyRequest(notice: Notice): HttpPost {
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    Title: headerValue(notice.title),
    Priority: String(priority[notice.risk]),
    Tags: [riskTag[notice.risk], notice.kind].filter((tag) => tag !== undefined).join(','),
  };
  if (notice.page !== undefined) headers.Click = headerValue(notice.page);
  if (notice.answers.length > 0) headers.Actions = actionsHeader(notice);
  return { headers, body: notice.text };
}

/** POSTs the notice to an ntfy topic URL (`https://ntfy.sh/<topic>` or a self-hosted server's). */
export function sendNtfy(url: string, notice: Notice, timeoutMs: number, signal: AbortSignal): Promise<Attempt> {
  return postTo(url, ntfyRequest(notice), timeoutMs, signal);
}

/**
 * One `view` action per answer, approve and deny first: each opens the answer's confirmation
 * page in the browser. Not `http` actions, which would answer on a tap with no page to confirm.
 */
function actionsHeader(notice: Notice): string {
  const actions = answersInOrder(notice.answers)
    .slice(0, actionsMax)
    .map((answer) => ({ action: 'view', label: answerLabel(answer.outcome), url: answer.url }));
  return JSON.stringify(actions).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A header value on one line and in ASCII: as it is when it already is, else one RFC 2047 base64 encoded-word. */
function headerValue(text: string): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, ' ');
  return /^[\x20-\x7e]*$/.test(line) ? line : `=?UTF-8?B?${Buffer.from(line, 'utf8').toString('base64')}?=`;
}

import { hash } from 'node:crypto';
import type { Decision } from '../decisions/model.ts';
import { answerLabel } from './channels/answers.ts';

const style = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; padding: 24px 16px; background: #f6f7f9; color: #1b1f24; }
main { max-width: 640px; margin: 0 auto; background: #fff; border: 1px solid #d8dde3; border-radius: 8px; padding: 20px 24px; }
h1 { font-size: 20px; margin: 0 0 12px; }
pre { white-space: pre-wrap; word-break: break-word; background: #f0f2f5; padding: 12px; border-radius: 6px; font-size: 14px; max-height: 50vh; overflow: auto; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0; }
dt { color: #57606a; }
dd { margin: 0; }
.risk-red, .risk-high { color: #a40e26; font-weight: 600; }
textarea { width: 100%; box-sizing: border-box; font: inherit; min-height: 4em; }
button { font: inherit; font-weight: 600; padding: 10px 20px; border-radius: 6px; border: 1px solid #1b1f24; cursor: pointer; margin-top: 12px; }
.approve { background: #1a7f37; color: #fff; border-color: #1a7f37; }
.deny { background: #a40e26; color: #fff; border-color: #a40e26; }
.note { color: #57606a; font-size: 14px; }
`;

/** The page's own CSP: nothing runs, the one inline stylesheet is allowed by its hash, and the form posts only back here. */
export const pagePolicy = `default-src 'none'; style-src 'sha256-${hash('sha256', style, 'base64')}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escape(title)} · Mission Control</title><style>${style}</style></head><body><main>${body}</main></body></html>`;
}

/** What the page shows of the question: its title, context, risk, deadline and who asked. */
function question(decision: Decision, asker: string): string {
  const context = decision.context === '' ? '' : `<pre>${escape(decision.context)}</pre>`;
  const approvals = decision.approvals.length > 0 ? `<dt>Approved by</dt><dd>${escape(decision.approvals.map((a) => a.person ?? a.by).join(', '))}</dd>` : '';
  return `<h1>${escape(decision.title)}</h1>${context}<dl><dt>Risk</dt><dd class="risk-${escape(decision.risk)}">${escape(decision.risk)}${decision.risk === 'red' ? ' (two different people must approve)' : ''}</dd><dt>Asked by</dt><dd>${escape(asker)}</dd><dt>Project</dt><dd>${escape(decision.projectId)}</dd><dt>Deadline</dt><dd>${escape(decision.expiresAt.slice(0, 16).replace('T', ' '))} UTC</dd>${approvals}</dl>`;
}

/** The confirmation a link opens: nothing is answered until the person presses the button (link scanners and previews only GET). */
export function confirmPage(decision: Decision, asker: string, person: string, outcome: string): string {
  const word = answerLabel(outcome);
  const kind = outcome === 'approve' ? 'approve' : outcome === 'deny' ? 'deny' : '';
  return page(
    `${word}: ${decision.title}`,
    `${question(decision, asker)}<form method="post"><label for="comment">Comment (optional)</label><textarea id="comment" name="comment" maxlength="4000"></textarea><button type="submit" class="${kind}">${escape(word)} as ${escape(person)}</button></form><p class="note">This link answers once, as ${escape(person)}, until the deadline.</p>`,
  );
}

/** The page after an answer, or instead of one: what happened, in one heading and a line. */
export function outcomePage(heading: string, line: string, decision?: Decision): string {
  return page(heading, `<h1>${escape(heading)}</h1><p>${escape(line)}</p>${decision ? `<p class="note">${escape(decision.title)} (${escape(decision.id)})</p>` : ''}`);
}

import { type Mail, type NodemailerError, type SMTPPoolOptions, type SMTPPoolSentMessageInfo, createTransport } from 'nodemailer';
import type { Attempt, Notice, NoticeKind } from '../model.ts';
import { answerLabel, answersInOrder } from './answers.ts';

/** How the hub reaches its mail server, and whom its mail is from. */
export interface MailerOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  /** The most each step may wait: connecting, the greeting, and any silence after. */
  timeoutMs: number;
}

/** What one notice looks like by mail. */
export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

const subjectPrefix: Record<NoticeKind, (risk: string) => string> = {
  ask: (risk) => `[${risk}] `,
  event: (risk) => `[${risk}] `,
  reminder: (risk) => `Reminder: [${risk}] `,
  escalation: (risk) => `Escalated: [${risk}] `,
  settled: () => 'Settled: ',
};

const answerColour: Partial<Record<string, string>> = { approve: '#1a7f37', deny: '#cf222e' };

/** The subject, a plain-text part and an HTML part (every value escaped; answers as real links) for one notice. */
export function emailMessage(notice: Notice): EmailMessage {
  const answers = answersInOrder(notice.answers);
  const facts = [`Risk: ${notice.risk}`, ...(notice.deadline ? [`Deadline: ${notice.deadline}`] : []), ...(notice.decisionId ? [`Decision: ${notice.decisionId}`] : [])];
  const text = [
    notice.title,
    '',
    notice.text,
    '',
    ...facts,
    ...(answers.length > 0 ? ['', 'Answer:', ...answers.map((a) => `  ${answerLabel(a.outcome)}: ${a.url}`)] : []),
    ...(notice.page ? ['', `Open in dashboard: ${notice.page}`] : []),
  ].join('\n');
  const links = [...answers.map((a) => button(answerLabel(a.outcome), a.url, answerColour[a.outcome] ?? '#57606a')), ...(notice.page ? [button('Open in dashboard', notice.page, '#0969da')] : [])];
  const html = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1f2328">',
    `<h2 style="margin:0 0 12px">${escapeHtml(notice.title)}</h2>`,
    `<pre style="white-space:pre-wrap;font-family:ui-monospace,monospace;background:#f6f8fa;padding:12px;border-radius:6px">${escapeHtml(notice.text)}</pre>`,
    `<p style="color:#59636e">${facts.map(escapeHtml).join(' &middot; ')}</p>`,
    ...(links.length > 0 ? [`<p>${links.join(' ')}</p>`] : []),
    '</body></html>',
  ].join('\n');
  return { subject: subjectPrefix[notice.kind](notice.risk) + notice.title, text, html };
}

/**
 * Sends notices through one SMTP server over a small pool of connections, each step bounded by
 * `timeoutMs`. `send` never throws: it tells how the attempt went, as the HTTP channels do.
 */
export class Mailer {
  private readonly transport: Mail<SMTPPoolSentMessageInfo, SMTPPoolOptions>;
  private readonly from: string;
  private readonly timeoutMs: number;

  constructor(options: MailerOptions) {
    const { host, port, secure, user, password, from, timeoutMs } = options;
    this.from = from;
    this.timeoutMs = timeoutMs;
    this.transport = createTransport({
      pool: true,
      host,
      port,
      secure,
      auth: user === undefined ? undefined : { user, pass: password },
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      // One send is one attempt: the caller decides whether and when to try again.
      maxRequeues: 0,
      // Never nodemailer's own logging, which could print the AUTH exchange.
      logger: false,
    });
  }

  /**
   * Sends one notice to `to`: 250 once the server took it, the server's code when it refused. A
   * stop through `signal` answers at once, though the message may still go out from the pool.
   */
  async send(to: string, notice: Notice, signal: AbortSignal): Promise<Attempt> {
    const started = performance.now();
    const durationMs = () => Math.round(performance.now() - started);
    const stopped = { status: null, error: 'stopped before the mail server answered', durationMs: 0 };
    if (signal.aborted) return stopped;
    let onAbort = () => {};
    const aborted = new Promise<Attempt>((resolve) => (onAbort = () => resolve({ ...stopped, durationMs: durationMs() })));
    signal.addEventListener('abort', onAbort, { once: true });
    const sent = this.transport.sendMail({ from: this.from, to, ...emailMessage(notice) }).then(
      (): Attempt => ({ status: 250, error: null, durationMs: durationMs() }),
      (error: unknown): Attempt => ({ ...this.refusal(error), durationMs: durationMs() }),
    );
    try {
      return await Promise.race([sent, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Closes the pool's connections; sends still queued fail. */
  close(): void {
    this.transport.close();
  }

  /** Why a send failed: the server's refusal with its code, or no answer at all. */
  private refusal(error: unknown): Omit<Attempt, 'durationMs'> {
    const { code, originalCode, responseCode, response, message } = error as NodemailerError;
    if (responseCode !== undefined) return { status: responseCode, error: `the mail server refused: ${response ?? message}` };
    if (code === 'ETIMEDOUT') return { status: null, error: `no answer from the mail server within ${this.timeoutMs} ms` };
    return { status: null, error: `the mail server could not be reached (${originalCode ?? code ?? message})` };
  }
}

/** A link that looks like a button in mail clients, which mostly ignore stylesheets. */
function button(label: string, url: string, colour: string): string {
  const style = `display:inline-block;padding:10px 18px;margin:0 8px 8px 0;border-radius:6px;background:${colour};color:#ffffff;text-decoration:none;font-weight:600`;
  return `<a href="${escapeHtml(url)}" style="${style}">${escapeHtml(label)}</a>`;
}

/** Text safe inside HTML elements and double-quoted attributes. */
function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

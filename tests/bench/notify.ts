import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { HubConfigurationFile } from '../../contracts/index.ts';
import { SseFrameParser } from '../../server/client/sse-frames.ts';
import { webhookKey, webhookRefusal } from '../../server/webhooks/signature.ts';
import { type Tokens, authHeader } from './auth.ts';
import { postJson, refusal } from './http-post.ts';
import { percentile } from './report.ts';

/** The bench's one person, reached on a webhook and by mail, both served by this process. */
export interface NotifyReceivers {
  /** The config file's `people` and `notifications`: high decisions, and nothing else, reach the person. */
  config: Required<Pick<HubConfigurationFile, 'people' | 'notifications'>>;
  /** The hub's secrets for them: `MC_NOTIFY_WEBHOOK_SECRET` and `MC_SMTP_PASSWORD`. */
  env: Record<string, string>;
  /** When (performance.now) the first webhook and the first mail of each decision arrived, by decision id. */
  webhooks: Map<string, number>;
  mails: Map<string, number>;
  /** Webhooks whose Standard Webhooks signature did not check out, and deliveries naming no decision. */
  odd: { badSignatures: number; noDecision: number };
  close(): Promise<void>;
}

export interface NotifyLatency {
  asked: number;
  postErrors: number;
  firstPostError?: string;
  /** From just before `POST /decisions` to the arrival, per channel; NaN when nothing arrived. */
  webhookP50Ms: number;
  webhookP99Ms: number;
  emailP50Ms: number;
  emailP99Ms: number;
  /** The peer: the same decision's `decision.requested` frame reaching one dashboard's SSE stream. */
  ssePeerP50Ms: number;
  ssePeerP99Ms: number;
  webhookMisses: number;
  emailMisses: number;
  sseMisses: number;
  /** Set when the run stopped early because nothing was arriving. */
  gaveUp: boolean;
}

const person = 'bench';
// An id as the hub makes them (server/decisions/model.ts): mail text may wrap or encode around it, never inside it.
const decisionIdPattern = /dec_[0-9A-Za-z]{16}/;
// Nothing arriving for this many decisions in a row means the path is broken: stop rather than wait out every timeout.
const missesInARow = 3;

/** Starts the webhook receiver and the SMTP server on 127.0.0.1 and the config that routes high decisions to them. */
export async function startNotifyReceivers(): Promise<NotifyReceivers> {
  const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const key = webhookKey(webhookSecret);
  const smtpPassword = randomBytes(12).toString('base64url');
  const webhooks = new Map<string, number>();
  const mails = new Map<string, number>();
  const odd = { badSignatures: 0, noDecision: 0 };

  const hookServer = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const arrived = performance.now();
      res.writeHead(204).end();
      const headers = { id: req.headers['webhook-id'] as string | undefined, timestamp: req.headers['webhook-timestamp'] as string | undefined, signature: req.headers['webhook-signature'] as string | undefined };
      if (webhookRefusal(key, headers, body, Math.floor(Date.now() / 1000)) !== undefined) odd.badSignatures += 1;
      const id = decisionOf(body);
      if (id === undefined) odd.noDecision += 1;
      else if (!webhooks.has(id)) webhooks.set(id, arrived);
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));

  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      if (auth.username === 'hub' && auth.password === smtpPassword) callback(null, { user: 'hub' });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const arrived = performance.now();
        // Quoted-printable soft line breaks could fall anywhere in a long line: join them before looking.
        const id = decisionIdPattern.exec(Buffer.concat(chunks).toString('utf8').replace(/=\r?\n/g, ''))?.[0];
        if (id === undefined) odd.noDecision += 1;
        else if (!mails.has(id)) mails.set(id, arrived);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));

  return {
    config: {
      people: { [person]: { email: 'bench@example.org', webhook: `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook` } },
      notifications: {
        smtp: { host: '127.0.0.1', port: (smtp.server.address() as AddressInfo).port, secure: false, user: 'hub', from: 'mc@example.org' },
        // Only this row asks decisions, and only high ones: no other row's events are routed to anyone.
        routes: [{ match: { risk: ['high'] }, notify: [{ people: [person], channels: ['email', 'webhook'] }] }],
      },
    },
    env: { MC_NOTIFY_WEBHOOK_SECRET: webhookSecret, MC_SMTP_PASSWORD: smtpPassword },
    webhooks,
    mails,
    odd,
    async close() {
      hookServer.closeAllConnections();
      await Promise.all([new Promise<void>((resolve) => hookServer.close(() => resolve())), new Promise<void>((resolve) => smtp.close(() => resolve()))]);
    },
  };
}

/**
 * Asks `count` high decisions one after another, each once the one before reached the person by
 * webhook and by mail (or `timeoutMs` passed: a miss), timing each from just before its POST. The
 * peer is one dashboard's SSE stream of `decision.requested`, timed for the same decisions.
 */
export async function runNotifyLatency(hubUrl: string, receivers: NotifyReceivers, operators: Tokens, viewers: Tokens, count: number, timeoutMs: number): Promise<NotifyLatency> {
  const stream = await openDecisionStream(hubUrl, viewers);
  const agent = new http.Agent({ keepAlive: true });
  const base = new URL(hubUrl);
  const latencies = { webhook: [] as number[], email: [] as number[], sse: [] as number[] };
  const misses = { webhook: 0, email: 0, sse: 0 };
  let asked = 0;
  let postErrors = 0;
  let firstPostError: string | undefined;
  let missedInARow = 0;
  try {
    for (let i = 0; i < count && missedInARow < missesInARow; i++) {
      const body = JSON.stringify({ title: `Bench question ${i + 1} of ${count}`, risk: 'high', context: 'Asked by the bench to time the way to a person; nobody needs to answer.' });
      const sentAt = performance.now();
      const answer = await postJson(agent, base, '/decisions', body, authHeader(operators, i), true).catch((error: Error) => ({ status: 0, body: error.message }));
      if (answer.status !== 201) {
        postErrors += 1;
        firstPostError ??= refusal(answer);
        missedInARow += 1;
        continue;
      }
      asked += 1;
      const id = (JSON.parse(answer.body!) as { id: string }).id;
      const arrivals = { webhook: receivers.webhooks, email: receivers.mails, sse: stream.arrivals };
      const arrivedAll = () => arrivals.webhook.has(id) && arrivals.email.has(id) && (arrivals.sse.has(id) || stream.closed);
      while (!arrivedAll() && performance.now() - sentAt < timeoutMs) await sleep(2);
      let missed = false;
      for (const channel of ['webhook', 'email', 'sse'] as const) {
        const arrived = arrivals[channel].get(id);
        if (arrived !== undefined && arrived - sentAt <= timeoutMs) latencies[channel].push(arrived - sentAt);
        else {
          misses[channel] += 1;
          missed ||= channel !== 'sse';
        }
      }
      missedInARow = missed ? missedInARow + 1 : 0;
    }
  } finally {
    stream.close();
    agent.destroy();
  }
  const sorted = (values: number[]) => Float64Array.from(values).sort();
  const [webhook, email, sse] = [sorted(latencies.webhook), sorted(latencies.email), sorted(latencies.sse)] as const;
  return {
    asked,
    postErrors,
    ...(firstPostError ? { firstPostError } : {}),
    webhookP50Ms: percentile(webhook, 0.5),
    webhookP99Ms: percentile(webhook, 0.99),
    emailP50Ms: percentile(email, 0.5),
    emailP99Ms: percentile(email, 0.99),
    ssePeerP50Ms: percentile(sse, 0.5),
    ssePeerP99Ms: percentile(sse, 0.99),
    webhookMisses: misses.webhook + postErrors,
    emailMisses: misses.email + postErrors,
    sseMisses: misses.sse + postErrors,
    gaveUp: missedInARow >= missesInARow,
  };
}

interface DecisionStream {
  /** When each decision's `decision.requested` frame arrived (performance.now), by decision id. */
  arrivals: Map<string, number>;
  readonly closed: boolean;
  close(): void;
}

/** One dashboard's live stream of `decision.requested`, resolved once the hub sent its `retry:` (the stream is live). */
function openDecisionStream(hubUrl: string, tokens: Tokens): Promise<DecisionStream> {
  return new Promise((resolve, reject) => {
    const arrivals = new Map<string, number>();
    const parser = new SseFrameParser();
    let ready = false;
    const req = http.get(`${hubUrl}/events?types=decision.requested`, { agent: false, headers: { accept: 'text/event-stream', ...authHeader(tokens, 0) } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`GET /events answered ${res.statusCode}`));
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const arrived = performance.now();
        for (const frame of parser.push(chunk)) {
          const id = (JSON.parse(frame.data) as { decisionId?: string }).decisionId;
          if (id !== undefined && !arrivals.has(id)) arrivals.set(id, arrived);
        }
        if (!ready && parser.retryMs !== undefined) {
          ready = true;
          resolve(stream);
        }
      });
      res.on('close', () => {
        stream.closed = true;
        if (!ready) reject(new Error('the SSE stream closed before its retry: frame'));
      });
    });
    req.on('error', (error) => {
      if (!ready) reject(error);
    });
    const stream = { arrivals, closed: false, close: () => req.destroy() };
  });
}

/** The decision a person's webhook is about, from its `notification`; undefined for any other body. */
function decisionOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { notification?: { decisionId?: unknown } }).notification?.decisionId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

import assert from 'node:assert/strict';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import { type AddressInfo, type Socket, createServer as createTcpServer } from 'node:net';
import { after } from 'node:test';
import { SMTPServer } from 'smtp-server';

// Real receivers for what the hub sends out (webhooks, chat, push, mail), on 127.0.0.1, each
// closed after the tests of the file that started it.

/** What the receivers of a test file hold open, closed after its tests (newest first). */
const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

/** Closes `close` after the file's tests, with the receivers. */
export function closeAfterwards(close: () => Promise<void> | void): void {
  closers.push(async () => close());
}

/** One request an HTTP receiver took. */
export interface Taken {
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP receiver on 127.0.0.1 that records each request and answers `answer`, or never answers while `silent`. */
export class HttpReceiver {
  readonly taken: Taken[] = [];
  answer = 200;
  silent = false;
  private readonly server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      this.taken.push({ headers: req.headers, body });
      if (!this.silent) res.writeHead(this.answer, this.answer === 302 ? { location: '/elsewhere' } : {}).end('ok');
    });
  });

  /** Listens on any free port; the URL carries a query credential, as receivers' URLs may. */
  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    closers.push(() => this.close());
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/person?token=receiver-own`;
  }

  private async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function receiver(answer = 200, port = 0): Promise<{ receiver: HttpReceiver; url: string }> {
  const r = new HttpReceiver();
  r.answer = answer;
  return { receiver: r, url: await r.listen(port) };
}

/** A port on 127.0.0.1 that nothing listens on: one that was just free and is closed again. */
export async function deadPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One message an SMTP server took. */
export interface Mail {
  from: string;
  to: string[];
  raw: string;
}

/** The login a test mail server wants unless told another. */
export const smtpLogin = { user: 'hub', password: 'p4ss-w0rd' };

/** A real SMTP server on 127.0.0.1 that wants AUTH and records what it takes; `refuse` turns recipients away with 550. */
export async function smtpServer(options: { refuse?: boolean; user?: string; password?: string } = {}): Promise<{ port: number; mails: Mail[] }> {
  const { user = smtpLogin.user, password = smtpLogin.password } = options;
  const mails: Mail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      if (options.refuse) callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, mails };
}

/** A TCP server that takes connections and never says a word, as a hung mail server does. */
export async function mute(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

/** The parts of a multipart message by content type, each decoded from its transfer encoding. */
export function mimeParts(raw: string): Map<string, string> {
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(raw)?.[1];
  assert.ok(boundary, 'the message is multipart');
  const parts = new Map<string, string>();
  for (const part of raw.split(`--${boundary}`).slice(1, -1)) {
    const split = part.indexOf('\r\n\r\n');
    const headers = part.slice(0, split);
    const body = part.slice(split + 4).replace(/\r\n$/, '');
    const type = /content-type:\s*([^;\r\n]+)/i.exec(headers)![1]!.trim();
    const encoding = /content-transfer-encoding:\s*(\S+)/i.exec(headers)?.[1]?.toLowerCase();
    parts.set(type, encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body);
  }
  return parts;
}

function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=') {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(joined.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

import assert from 'node:assert/strict';
import http from 'node:http';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../server/db/schema.ts';

/** What came back from the hub, with the body both as text and (when it parses) as JSON. */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
  body: any;
}

/** The number of rows in the log. */
export async function countEvents(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from events`.execute(db);
  return rows[0]!.n;
}

/** One request with fetch; gives up after 10 s so a stream opened by mistake fails the test instead of hanging it. */
export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000), ...init });
  return answerOf(res.status, res.headers.get('content-type') ?? '', await res.text());
}

/**
 * POSTs `body` over a connection of its own (a private keep-alive agent, so no other request
 * reuses it), either with Content-Length or as `Transfer-Encoding: chunked` pieces.
 */
export function postRaw(url: string, body: string | string[], headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Answer & { connection: string }> {
  const chunked = Array.isArray(body);
  const agent = new http.Agent({ keepAlive: true });
  return new Promise<Answer & { connection: string }>((resolve, reject) => {
    const lengthHeader = chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(Buffer.byteLength(body)) };
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, ...lengthHeader } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ ...answerOf(res.statusCode ?? 0, String(res.headers['content-type'] ?? ''), text), connection: String(res.headers.connection ?? '') }));
    });
    req.on('error', reject);
    for (const piece of chunked ? body : [body]) req.write(piece);
    req.end();
  }).finally(() => agent.destroy());
}

/**
 * Asserts an RFC 9457 problem: this status and code, every member present, and a `detail` that
 * tells the client what to fix (it matches `detail`). Returns the problem body.
 */
export function assertProblem(answer: Answer, status: number, code: string, detail: RegExp): any {
  assert.equal(answer.status, status, `expected ${status} ${code}, got ${answer.status}: ${answer.text.slice(0, 300)}`);
  assert.match(answer.contentType, /^application\/problem\+json/);
  const problem = answer.body;
  assert.equal(typeof problem, 'object', 'the body is a JSON object');
  assert.equal(problem.code, code);
  assert.equal(problem.status, status);
  assert.equal(typeof problem.type, 'string');
  assert.equal(typeof problem.title, 'string');
  assert.equal(typeof problem.detail, 'string');
  assert.match(problem.detail, detail);
  return problem;
}

/** `assertProblem` for an answer of `hub.post` / `hub.get` (tests/helpers/hub.ts). */
export function assertHubProblem(res: { status: number; body: any; headers: Headers }, status: number, code: string, detail: RegExp): any {
  return assertProblem({ status: res.status, contentType: res.headers.get('content-type') ?? '', text: JSON.stringify(res.body), body: res.body }, status, code, detail);
}

/**
 * Sends a request that must be refused with a 4xx problem, and asserts that it appended nothing:
 * no event by a caller (every event a route appends is by its caller) and none correlated with
 * the request. The hub's and the runners' own events from before it (an earlier test's agent
 * exiting, a timer) may still land meanwhile; they are not this request's.
 */
export async function assertRefusedWithoutAppend(
  db: Kysely<Database>,
  request: () => Promise<Answer>,
  expected: { status: number; code: string; detail: RegExp },
): Promise<any> {
  const { rows } = await sql<{ head: number }>`select coalesce(max(seq), 0)::int as head from events`.execute(db);
  const before = rows[0]!.head;
  const problem = assertProblem(await request(), expected.status, expected.code, expected.detail);
  assert.equal(typeof problem.requestId, 'string', 'the problem names its request');
  const { rows: appended } = await sql<{ type: string; actor: string }>`
    select type, actor from events where seq > ${before} and ((actor <> 'hub' and actor not like 'runner:%') or correlation_id = ${problem.requestId}) order by seq`.execute(db);
  assert.deepEqual(appended, [], 'nothing was appended');
  return problem;
}

function answerOf(status: number, contentType: string, text: string): Answer {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status, contentType, text, body };
}

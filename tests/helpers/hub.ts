import { randomBytes } from 'node:crypto';
import { type Logger, pino } from 'pino';
import { HubClient } from '../../server/client/hub-client.ts';
import type { Role } from '../../server/client/views.ts';
import { type ConfigOverrides, type HubConfig, defaultConfig, withOverrides } from '../../server/config.ts';
import { type RunningHub, startHub } from '../../server/hub.ts';
import type { Clock } from '../../server/clock.ts';
import { features } from '../../server/installed-features.ts';
import type { Projection } from '../../server/log/event.ts';
import { type TestRunner, testRunner } from './runner.ts';
import { type SseConnection, openSse } from './sse.ts';

/** The secret every test hub verifies healer callbacks with. */
export const testHealerSecret = `whsec_${Buffer.from('a test secret for healer callbacks').toString('base64')}`;

/** What every test hub signs people's webhooks with and logs in to the mail server with. */
export const testNotifySecrets = { webhook: `whsec_${Buffer.from('a test secret for notifications').toString('base64')}`, smtpPassword: 'a test mail password' };

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

export interface TestHub extends RunningHub {
  config: HubConfig;
  adminToken: string;
  /** Bearer headers of an operator token, for the tests that are not about permissions. */
  auth: Record<string, string>;
  /** The client with that operator token, for the tests that are not about HTTP itself. */
  client: HubClient;
  /** POSTs JSON to `path` as the operator (or with the headers given). */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** GETs `path` as the operator (or with the headers given). */
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  /** Opens an SSE stream on `path` as the operator (or with the headers given). */
  sse(path: string, headers?: Record<string, string>, onEvent?: Parameters<typeof openSse>[2]): Promise<SseConnection>;
  /** Mints a token with the admin token. */
  mint(role: Role, agentId?: string): Promise<string>;
  /** The runner started beside a hub given templates (it starts their agents); undefined otherwise. */
  runner: TestRunner | undefined;
}

/** A real hub on a real port (0: the OS picks), quiet unless TEST_LOG_LEVEL is set or a logger is given. */
export async function testHub(
  databaseUrl: string,
  overrides: ConfigOverrides = {},
  projections: Projection[] = [],
  clock?: Clock,
  logger: Logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
): Promise<TestHub> {
  const config = withOverrides(defaultConfig, overrides);
  const adminToken = `mc_test_admin_${randomBytes(12).toString('hex')}`;
  const hub = await startHub({ databaseUrl, adminToken, port: 0, host: '127.0.0.1', config, logger, features, projections, clock, healerSecret: testHealerSecret, notifySecrets: testNotifySecrets, build: { version: 'test', commit: 'test' } });
  const admin = new HubClient({ url: hub.url, token: adminToken });
  const mint = async (role: Role, agentId?: string) => (await admin.tokens.create({ role, ...(agentId ? { agentId } : {}) })).token;
  const operatorToken = await mint('operator');
  const auth = bearer(operatorToken);
  // A hub given templates gets a runner to start them, as `npm start` gives it one.
  const runner = overrides.templates !== undefined ? await testRunner(hub.url, await mint('runner'), config, logger) : undefined;
  return {
    ...hub,
    runner,
    async close() {
      await runner?.close();
      await hub.close();
    },
    config,
    adminToken,
    auth,
    client: new HubClient({ url: hub.url, token: operatorToken }),
    mint,
    post: (path, body, headers = auth) => postJson(`${hub.url}${path}`, body, headers),
    get: (path, headers = auth) => getJson(`${hub.url}${path}`, headers),
    sse: (path, headers = auth, onEvent) => openSse(`${hub.url}${path}`, headers, onEvent),
  };
}

/** The header a token is sent with. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** POSTs JSON and returns the status and parsed body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return answer(res);
}

/** GETs JSON and returns the status and parsed body. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return answer(await fetch(url, { headers: { accept: 'application/json', ...headers } }));
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (e.g. /metrics): keep the text.
  }
  return { status: res.status, body, headers: res.headers };
}

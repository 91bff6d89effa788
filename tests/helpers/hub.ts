import { pino } from 'pino';
import { type HubConfig, defaultConfig, withOverrides } from '../../server/config.ts';
import { type RunningHub, startHub } from '../../server/hub.ts';
import type { Projection } from '../../server/log/event.ts';

type Overrides = Parameters<typeof withOverrides>[1];

/** A real hub on a real port (0: the OS picks), quiet unless TEST_LOG_LEVEL is set. */
export async function testHub(databaseUrl: string, overrides: Overrides = {}, projections: Projection[] = []): Promise<RunningHub & { config: HubConfig }> {
  const config = withOverrides(defaultConfig, overrides);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const hub = await startHub({ databaseUrl, port: 0, host: '127.0.0.1', config, logger, projections });
  return { ...hub, config };
}

/** POSTs JSON and returns the status and parsed body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

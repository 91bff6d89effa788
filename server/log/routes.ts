import { Hono } from 'hono';
import type { Contracts } from '../../contracts/index.ts';
import { readJson } from '../http/read-json.ts';
import { type AppendLimits, checkAppend } from './check-append.ts';
import type { EventAppender } from './group-commit.ts';

export interface LogRouteDeps {
  contracts: Contracts;
  appender: EventAppender;
  limits: AppendLimits;
}

/** `POST /events`: append one event or a batch, all or nothing, idempotent by key. */
export function logRoutes(deps: LogRouteDeps): Hono {
  const app = new Hono();
  app.post('/', async (c) => {
    const body = await readJson(c);
    const actor = 'anonymous';
    const { events, batch } = checkAppend(deps.contracts, deps.limits, body, actor, c.req.header('idempotency-key'));
    const receipts = await deps.appender.append(events);
    const status = receipts.every((r) => r.deduped) ? 200 : 201;
    return c.json(batch ? { events: receipts } : receipts[0], status);
  });
  return app;
}

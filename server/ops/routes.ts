import { Hono } from 'hono';
import type { Contracts } from '../../contracts/index.ts';

/** Public gauges and the contract: `/healthz`, `/contractz`. */
export function opsRoutes(deps: { contracts: Contracts }): Hono {
  const app = new Hono();
  const contract = JSON.stringify({ schemas: deps.contracts.schemas, openapi: deps.contracts.openapi });
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/contractz', (c) => c.body(contract, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=60' }));
  return app;
}

import { Hono } from 'hono';
import type { Readiness } from './healer.ts';

/** The healer's HTTP face: liveness and readiness, for process managers and load balancers. */
export function healerApp(readiness: () => Readiness): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    const { ready, reason } = readiness();
    return ready ? c.json({ status: 'ready' }) : c.json({ status: 'unavailable', reason }, 503);
  });
  return app;
}

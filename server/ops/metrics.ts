import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The hub's Prometheus metrics, in a registry of its own (one per hub, so tests can run several). */
export function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({ name: 'mc_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers }),
    httpDuration: new Histogram({
      name: 'mc_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (to the first byte for streams)',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    appendedEvents: new Counter({ name: 'mc_appended_events_total', help: 'Events written to the log', registers }),
    dedupedEvents: new Counter({ name: 'mc_deduped_events_total', help: 'Appends answered from an earlier event with the same key', registers }),
    appendBatchSize: new Histogram({
      name: 'mc_append_transaction_events',
      help: 'Events written per append transaction (group commit)',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    }),
    sseSubscribers: new Gauge({ name: 'mc_sse_subscribers', help: 'Open SSE streams', registers }),
    sseLag: new Gauge({ name: 'mc_sse_subscriber_lag_events', help: 'Largest distance, in seq, between the log head this hub read and a subscriber', registers }),
    listenerConnected: new Gauge({ name: 'mc_listener_connected', help: '1 while the LISTEN connection is up, 0 while the hub polls', registers }),
    poolConnections: new Gauge({ name: 'mc_db_pool_connections', help: 'Database pool connections by state', labelNames: ['state'], registers }),
  };
}

export type HubMetrics = ReturnType<typeof createMetrics>;

/**
 * A read the gauges of one scrape share: the collects of a scrape run together, so the first
 * starts the read and the others take its answer; the next scrape reads anew.
 */
export function readOncePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    inFlight ??= read().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

/**
 * Adds the process's own health (CPU, memory, heap, event loop lag, open fds, start time), named as
 * every Node exporter names it, so the usual dashboards and alerts apply. Only a hub that serves
 * /metrics watches it: the monitors it starts run for the life of the process.
 */
export function watchProcess(metrics: HubMetrics): void {
  collectDefaultMetrics({ register: metrics.registry });
}

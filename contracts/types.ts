/** One schema violation: where (a JSON pointer, empty for the whole value), and what to fix. */
export interface SchemaProblem {
  path: string;
  message: string;
}

/** What a client appends. */
export interface EventAppend {
  type: string;
  data: Record<string, unknown>;
  idempotencyKey?: string;
  agentId?: string;
  taskId?: string;
  decisionId?: string;
  correlationId?: string;
  causationId?: string;
}

/** An event as it goes on the wire (SSE `data:` and JSON pages). */
export interface EventEnvelope {
  seq: number;
  id: string;
  type: string;
  actor: string;
  agentId?: string;
  taskId?: string;
  decisionId?: string;
  correlationId?: string;
  causationId?: string;
  /** The W3C trace the event belongs to, and the span of the request that appended it. */
  traceId?: string;
  spanId?: string;
  recordedAt: string;
  data: Record<string, unknown>;
}

/** The answer to an append, per event. */
export interface AppendReceipt {
  id: string;
  seq: number;
  deduped: boolean;
}

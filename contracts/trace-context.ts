/** A W3C trace context: the trace a piece of work belongs to, and the span that did this part of it. */
export interface TraceContext {
  traceId: string;
  spanId: string;
}

/** What a request or a causing event hands on to the events it leads to: the correlation id they default to, and the trace. */
export interface Origin {
  correlationId?: string | null;
  trace?: TraceContext | null;
}

// version-traceid-parentid-flags, lower-case hex; all-zero ids are invalid (W3C Trace Context, level 1).
const traceparentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** The trace context of a `traceparent` header, or undefined when it is absent or not valid (which the spec says to ignore). */
export function parseTraceparent(header: string | undefined): TraceContext | undefined {
  const match = traceparentPattern.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const [, version, traceId, spanId, , rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId!) || /^0+$/.test(spanId!)) return undefined;
  return { traceId: traceId!, spanId: spanId! };
}

/** The `traceparent` header that continues `trace` as a child span `spanId` (sampled). */
export function traceparentOf(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-01`;
}

/** A new span: of `parent`'s trace when there is one, else the first span of a new trace. */
export function childSpan(parent?: TraceContext | null): TraceContext {
  return { traceId: parent?.traceId ?? randomHex(16), spanId: randomHex(8) };
}

function randomHex(bytes: number): string {
  const value = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('');
}

import {
  type Context,
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
  trace,
} from "@opentelemetry/api";

// Portable: only the OpenTelemetry API. Until a process registers an SDK (startTracing in the Node
// rim) every call here is a no-op: no spans, nothing injected.

let exported = false;

/**
 * Whether spans go anywhere: startTracing with an exporter or an OTLP endpoint. Without one, the
 * per-request paths create no spans and only carry an incoming trace context on to outgoing calls.
 */
export function tracesExported(): boolean {
  return exported;
}

/** Set by startTracing (the Node rim) when it registers a provider with a destination, and at shutdown. */
export function setTracesExported(on: boolean): void {
  exported = on;
}

/** The kit's tracer; spans go to whatever provider the process registered. */
export function kitTracer(): Tracer {
  return trace.getTracer("@instagram/kit");
}

const headersGetter: TextMapGetter<Headers> = {
  keys: (carrier) => [...carrier.keys()],
  get: (carrier, key) => carrier.get(key) ?? undefined,
};

const headersSetter: TextMapSetter<Headers> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/** The trace context (traceparent, tracestate) of `from` (default: the active one) as plain headers. */
export function traceHeaders(from: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier;
}

/** Writes the active trace context into outgoing fetch/Connect headers. */
export function injectTraceHeaders(headers: Headers, from: Context = context.active()): void {
  propagation.inject(from, headers, headersSetter);
}

/** The remote context carried by `headers` (fetch Headers or an event's header record). */
export function contextFromHeaders(headers: Headers | Record<string, string>): Context {
  return headers instanceof Headers
    ? propagation.extract(ROOT_CONTEXT, headers, headersGetter)
    : propagation.extract(ROOT_CONTEXT, headers);
}

/** trace_id and span_id of the active span, for log lines; empty when none is active. */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (span === undefined) return {};
  const ids = span.spanContext();
  if (!isSpanContextValid(ids)) return {};
  return { trace_id: ids.traceId, span_id: ids.spanId };
}

/** Marks `span` failed with `error`. */
export function recordFailure(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { context, SpanKind, trace } from "@opentelemetry/api";
import { injectTraceHeaders, kitTracer, recordFailure, tracesExported } from "./trace-context.ts";

/**
 * A client span per outgoing Connect call, child of the active context, whose W3C trace context
 * (traceparent) goes out in the call's headers. createServiceTransport puts it first. When no
 * span is exported, no span is made: an active (incoming) trace context still goes out.
 */
export function traceCalls(): Interceptor {
  return (next) => async (req) => {
    if (!tracesExported()) {
      const active = context.active();
      if (trace.getSpanContext(active) !== undefined) injectTraceHeaders(req.header, active);
      return next(req);
    }
    const service = req.method.parent.typeName;
    const span = kitTracer().startSpan(`${service}/${req.method.name}`, {
      kind: SpanKind.CLIENT,
      attributes: { "rpc.system": "connect_rpc", "rpc.service": service, "rpc.method": req.method.name },
    });
    const active = trace.setSpan(context.active(), span);
    injectTraceHeaders(req.header, active);
    try {
      return await context.with(active, () => next(req));
    } catch (error) {
      if (error instanceof ConnectError) span.setAttribute("rpc.connect_rpc.error_code", Code[error.code]);
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  };
}

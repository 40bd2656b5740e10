import { type Attributes, context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { MiddlewareHandler } from "hono";
import { contextFromHeaders, kitTracer, recordFailure, tracesExported } from "../telemetry/trace-context.ts";
import { matchedRoute } from "./matched-route.ts";

/** A Connect/gRPC procedure path: /package.Service/Method. */
const procedurePath = /^\/([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\/([A-Za-z_]\w*)$/;

/**
 * One server span per request, child of the caller's W3C trace context (traceparent), active
 * while the request is handled. Named after the RPC ("package.Service/Method") or "METHOD /route".
 * When no span is exported: no span, and the caller's trace context is only made active when it
 * sent one, so that the calls this request makes carry it on.
 */
export function traceRequests(opts: { service: string }): MiddlewareHandler {
  return async (c, next) => {
    if (!tracesExported()) {
      if (c.req.header("traceparent") === undefined) return next();
      return context.with(contextFromHeaders(c.req.raw.headers), next);
    }
    const parent = contextFromHeaders(c.req.raw.headers);
    const span = kitTracer().startSpan(
      `${c.req.method} ${c.req.path}`,
      {
        kind: SpanKind.SERVER,
        attributes: { "instagram.service": opts.service, "http.request.method": c.req.method },
      },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), next);
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      const route = matchedRoute(c);
      const status = c.res.status;
      const { name, attributes } = describeRoute(c.req.method, route);
      span.updateName(name);
      span.setAttributes({ ...attributes, "http.response.status_code": status });
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  };
}

/** Span name and attributes for a procedure path or an HTTP route. */
export function describeRoute(method: string, route: string): { name: string; attributes: Attributes } {
  const rpc = procedurePath.exec(route);
  if (rpc) {
    return {
      name: route.slice(1),
      attributes: { "rpc.system": "connect_rpc", "rpc.service": rpc[1], "rpc.method": rpc[2] },
    };
  }
  return { name: `${method} ${route}`, attributes: { "http.route": route } };
}

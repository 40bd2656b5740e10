import type { MiddlewareHandler } from "hono";
import type { Logger } from "../log/logger.ts";
import { activeTraceIds } from "../telemetry/trace-context.ts";
import { matchedRoute } from "./matched-route.ts";
import { httpRequestDuration, httpRequestsTotal } from "./metrics.ts";
import { traceRequests } from "./trace-requests.ts";

const quietPaths = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * Counts and times every request (labels use the matched route pattern, never the raw path, to keep
 * cardinality bounded), traces it (a server span, see traceRequests) and logs one line per request
 * with a request id.
 */
export function observeRequests(opts: { service: string; logger?: Logger }): MiddlewareHandler {
  const traced = traceRequests({ service: opts.service });
  const observed: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    const requestId = c.req.header("x-request-id") ?? crypto.randomUUID();
    let failed: unknown;
    try {
      await next();
    } catch (error) {
      failed = error;
      throw error;
    } finally {
      const status = failed === undefined ? c.res.status : 500;
      const route = matchedRoute(c);
      const labels = { service: opts.service, route, method: c.req.method, status: String(status) };
      const seconds = (performance.now() - started) / 1000;
      httpRequestsTotal.inc(labels);
      httpRequestDuration.observe(labels, seconds);
      if (failed === undefined) setRequestId(c.res, requestId);
      if (opts.logger) {
        const line = {
          requestId,
          // With a span active the logger's mixin adds trace_id itself.
          traceId:
            activeTraceIds().trace_id === undefined ? traceIdOf(c.req.header("traceparent")) : undefined,
          method: c.req.method,
          path: c.req.path,
          route,
          status,
          durationMs: Math.round(seconds * 10000) / 10,
        };
        if (status >= 500) opts.logger.warn(line, "request failed");
        else if (quietPaths.has(c.req.path)) opts.logger.debug(line, "request");
        else opts.logger.info(line, "request");
      }
    }
  };
  // Probes are counted and logged (at debug) but not traced: they would drown the traces.
  return (c, next) =>
    quietPaths.has(c.req.path)
      ? observed(c, next)
      : traced(c, async () => {
          await observed(c, next);
        });
}

function traceIdOf(traceparent: string | undefined): string | undefined {
  // W3C traceparent: version-traceid-parentid-flags
  return traceparent?.split("-")[1];
}

function setRequestId(response: Response, requestId: string): void {
  try {
    response.headers.set("x-request-id", requestId);
  } catch {
    // immutable headers (a proxied fetch Response): leave them as they are
  }
}

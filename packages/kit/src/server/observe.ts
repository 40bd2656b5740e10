import type { MiddlewareHandler } from "hono";
import type { Logger } from "../log/logger.ts";
import { activeTraceIds } from "../telemetry/trace-context.ts";
import { matchedRoute } from "./matched-route.ts";
import { requestMetrics } from "./metrics.ts";
import { traceRequests } from "./trace-requests.ts";

const quietPaths = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * Counts and times every request (labels use the matched route pattern, never the raw path, to keep
 * cardinality bounded), traces it (see traceRequests) and answers with a request id. A line per
 * request is logged at debug level only; a failed (5xx) request always at warn.
 */
export function observeRequests(opts: { service: string; logger?: Logger }): MiddlewareHandler {
  const traced = traceRequests({ service: opts.service });
  const record = requestMetrics(opts.service);
  const { logger } = opts;
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
      const seconds = (performance.now() - started) / 1000;
      record(route, c.req.method, status, seconds);
      if (failed === undefined) setRequestId(c.res, requestId);
      // A probe's 503 is its answer, not a failure: /readyz logs its own changes (mountOperations).
      const failedRequest = status >= 500 && !quietPaths.has(c.req.path);
      if (logger !== undefined && (failedRequest || logger.isLevelEnabled("debug"))) {
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
        if (failedRequest) logger.warn(line, "request failed");
        else logger.debug(line, "request");
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

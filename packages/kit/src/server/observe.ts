import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { Logger } from "../log/logger.ts";
import { httpRequestDuration, httpRequestsTotal } from "./metrics.ts";

const quietPaths = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * Counts and times every request (labels use the matched route pattern, never the raw path, to keep
 * cardinality bounded) and logs one line per request with a request id.
 */
export function observeRequests(opts: { service: string; logger?: Logger }): MiddlewareHandler {
  return async (c, next) => {
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
      const route = routeOf(c);
      const labels = { service: opts.service, route, method: c.req.method, status: String(status) };
      const seconds = (performance.now() - started) / 1000;
      httpRequestsTotal.inc(labels);
      httpRequestDuration.observe(labels, seconds);
      if (failed === undefined) setRequestId(c.res, requestId);
      if (opts.logger) {
        const line = {
          requestId,
          traceId: traceIdOf(c.req.header("traceparent")),
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
}

function routeOf(c: Parameters<MiddlewareHandler>[0]): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i];
    if (route && route.method !== "ALL") return route.path;
  }
  const wildcard = routes.findLast((route) => route.path !== "*" && route.path !== "/*");
  return wildcard?.path ?? "unmatched";
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

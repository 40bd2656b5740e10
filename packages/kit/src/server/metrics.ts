import { Counter, Histogram } from "prom-client";
import { metricsRegistry } from "../telemetry/metrics-registry.ts";

export { metricsRegistry };

export const httpRequestsTotal: Counter<"service" | "route" | "method" | "status"> = new Counter({
  name: "http_requests_total",
  help: "HTTP requests served, by service, route, method and status",
  labelNames: ["service", "route", "method", "status"],
  registers: [metricsRegistry],
});

export const httpRequestDuration: Histogram<"service" | "route" | "method" | "status"> = new Histogram({
  name: "http_request_duration_seconds",
  help: "HTTP request duration in seconds, by service, route, method and status",
  labelNames: ["service", "route", "method", "status"],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

type RequestLabels = Record<"service" | "route" | "method" | "status", string>;

/**
 * Counts and times one service's requests. The label objects are made once per route, method and
 * status (a bounded set) and reused, so a request allocates none.
 */
export function requestMetrics(
  service: string,
): (route: string, method: string, status: number, seconds: number) => void {
  const labelSets = new Map<string, RequestLabels>();
  return (route, method, status, seconds) => {
    const key = `${status} ${method} ${route}`;
    let labels = labelSets.get(key);
    if (labels === undefined) {
      labels = { service, route, method, status: String(status) };
      labelSets.set(key, labels);
    }
    httpRequestsTotal.inc(labels);
    httpRequestDuration.observe(labels, seconds);
  };
}

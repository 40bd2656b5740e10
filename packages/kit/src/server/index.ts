export { defaultMaxBodyBytes, mountConnectRoutes } from "./connect-routes.ts";
export type { FetchApp, HttpApp } from "./fetch-app.ts";
export { httpRequestDuration, httpRequestsTotal, metricsRegistry } from "./metrics.ts";
export { observeRequests } from "./observe.ts";
export { mountOperations } from "./operations.ts";
export { dependencyReadiness, NotReady, READINESS_TIMEOUT_MS } from "./readiness.ts";
export { createServiceApp, type ServiceAppOptions } from "./service-app.ts";
export { traceRequests } from "./trace-requests.ts";
export { gzipCompression } from "./web-gzip.ts";

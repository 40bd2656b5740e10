import type { GatewayEnv } from "./env.ts";

/** How the gateway's Node port treats slow clients, and where its metrics are served. */
export function listenOptionsOf(env: GatewayEnv): {
  timeouts: { headersMs: number; requestMs: number; bodyIdleMs: number; keepAliveMs: number };
  metricsPort?: number;
} {
  return {
    timeouts: {
      headersMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestMs: env.HTTP_REQUEST_TIMEOUT_MS,
      bodyIdleMs: env.HTTP_BODY_IDLE_TIMEOUT_MS,
      keepAliveMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    ...(env.METRICS_PORT === undefined ? {} : { metricsPort: env.METRICS_PORT }),
  };
}

import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { createServiceApp, type Logger } from "@instagram/kit";
import type { Hono } from "hono";

export interface AppDeps {
  routes: (router: ConnectRouter) => void;
  interceptors: Interceptor[];
  readiness: () => Promise<void>;
  logger?: Logger;
}

/** Connect routes + operations (/healthz, /readyz, /metrics), all from the kit; no node:* here. */
export function createApp(deps: AppDeps): Hono {
  return createServiceApp({
    name: "comment",
    routes: deps.routes,
    interceptors: deps.interceptors,
    readiness: deps.readiness,
    logger: deps.logger,
  });
}

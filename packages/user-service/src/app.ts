import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { createServiceApp, type Logger } from "@instagram/kit";
import type { Hono } from "hono";

export interface AppDeps {
  routes: (router: ConnectRouter) => void;
  /** The kit's auth interceptor: puts the verified caller into the handler context. */
  interceptors?: Interceptor[];
  /** Throws when the database or the bus does not answer. */
  readiness: () => Promise<void>;
  logger?: Logger;
}

/** The user-service Hono app (Connect + gRPC-web, /healthz, /readyz, /metrics); fetch-only, no node:*. */
export function createApp(deps: AppDeps): Hono {
  return createServiceApp({
    name: "user",
    routes: deps.routes,
    interceptors: deps.interceptors,
    readiness: deps.readiness,
    logger: deps.logger,
  });
}

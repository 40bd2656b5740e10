import { createServiceApp, type ServiceAppOptions } from "@instagram/kit";
import type { Hono } from "hono";

export type AppDeps = Omit<ServiceAppOptions, "name">;

/** The user-service Hono app (Connect + gRPC-web, /healthz, /readyz, /metrics); fetch-only, no node:*. */
export function createApp(deps: AppDeps): Hono {
  return createServiceApp({ name: "user", ...deps });
}

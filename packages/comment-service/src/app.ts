import { createServiceApp, type ServiceAppOptions } from "@instagram/kit";
import type { Hono } from "hono";

export type AppDeps = Omit<ServiceAppOptions, "name">;

/** Connect routes + operations (/healthz, /readyz, /metrics), all from the kit; no node:* here. */
export function createApp(deps: AppDeps): Hono {
  return createServiceApp({ name: "comment", ...deps });
}

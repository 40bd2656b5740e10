import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { type AccessTokenVerifier, createServiceApp } from "@instagram/kit";
import type { Hono } from "hono";
import { mountContentRoute } from "./http/content-route.ts";
import { mountUploadRoute } from "./http/upload-route.ts";
import type { ImageProcessor } from "./processing/image-processor.ts";
import type { ImageStore } from "./use-cases/image-store.ts";

export interface AppDeps {
  store: ImageStore;
  routes: (router: ConnectRouter) => void;
  interceptors: Interceptor[];
  verifier: AccessTokenVerifier;
  /** The Node rim gives sharp; nothing here touches node:*. */
  processor: ImageProcessor;
  maxUploadBytes: number;
  readiness: () => Promise<void>;
}

/**
 * The kit's service app (Connect, /healthz, /readyz, /metrics) with the upload and content
 * routes. The upload streams its body and limits it itself (an upload is never held in memory),
 * so it is a raw-body route, out of reach of the kit's body limit.
 */
export function createApp(deps: AppDeps): Hono {
  const app = createServiceApp({
    name: "image",
    routes: deps.routes,
    interceptors: deps.interceptors,
    readiness: deps.readiness,
    logger: deps.store.logger,
    rawBodyRoutes: (raw) =>
      mountUploadRoute(raw, {
        store: deps.store,
        processor: deps.processor,
        verifier: deps.verifier,
        maxUploadBytes: deps.maxUploadBytes,
      }),
  });
  mountContentRoute(app, deps.store);
  return app;
}

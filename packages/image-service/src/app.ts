import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { type AccessTokenVerifier, createServiceApp, observeRequests } from "@instagram/kit";
import { Hono } from "hono";
import { CONTENT_PATH, mountContentRoute } from "./http/content-route.ts";
import { problem } from "./http/problem.ts";
import { mountUploadRoute, UPLOAD_PATH } from "./http/upload-route.ts";
import type { ImageStore } from "./images/image-deps.ts";
import type { ImageProcessor } from "./processing/image-processor.ts";

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
 * The upload and content routes, in front of the kit's service app (Connect, /healthz, /readyz,
 * /metrics). They sit in front rather than inside because the kit app's body limit reads a
 * chunked body whole into memory, which an upload must never do (and 4 MiB is below 20 MiB).
 */
export function createApp(deps: AppDeps): Hono {
  const { logger } = deps.store;
  const service = createServiceApp({
    name: "image",
    routes: deps.routes,
    interceptors: deps.interceptors,
    readiness: deps.readiness,
    logger,
  });
  const app = new Hono();
  const observe = observeRequests({ service: "image", logger });
  app.use(UPLOAD_PATH, observe);
  app.use(CONTENT_PATH, observe);
  mountUploadRoute(app, {
    store: deps.store,
    processor: deps.processor,
    verifier: deps.verifier,
    maxUploadBytes: deps.maxUploadBytes,
  });
  mountContentRoute(app, { db: deps.store.db, blobs: deps.store.blobs });
  app.onError((error) => {
    logger.error({ err: error }, "unhandled error");
    return problem(500, "Internal Server Error");
  });
  app.all("*", (c) => service.fetch(c.req.raw, c.env));
  return app;
}

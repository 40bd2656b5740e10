import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { errorBoundary } from "../errors/connect-boundary.ts";
import { problem, problemResponse } from "../errors/problem.ts";
import type { Logger } from "../log/logger.ts";
import { silentLogger } from "../log/logger.ts";
import { guardInternalMethods } from "../service-identity/identity.ts";
import { defaultMaxBodyBytes, mountConnectRoutes } from "./connect-routes.ts";
import { refuseNulText } from "./nul-text.ts";
import { observeRequests } from "./observe.ts";
import { mountOperations } from "./operations.ts";

export interface ServiceAppOptions {
  name: string;
  /** router.service(AuthService, impl) */
  routes: (router: ConnectRouter) => void;
  /** e.g. createAuthInterceptor(verifier) */
  interceptors?: Interceptor[];
  /** Throws when a dependency does not answer. */
  readiness: () => Promise<void>;
  /** Largest request body (and Connect message) accepted; default 4 MiB. */
  maxBodyBytes?: number;
  /** Request log lines go here; without it requests are only counted in metrics. */
  logger?: Logger;
  /**
   * The service's HTTP routes that read request bodies themselves, e.g. a streamed upload.
   * Mounted ahead of the body limit (which reads a chunked body whole into memory to measure it),
   * so their handlers must bound what they read. Observed (logs, metrics, traces) like any route.
   */
  rawBodyRoutes?: (app: Hono) => void;
}

/** The Hono app of one service: Connect + gRPC-web routes, /healthz, /readyz, /metrics. */
export function createServiceApp(opts: ServiceAppOptions): Hono {
  const maxBodyBytes = opts.maxBodyBytes ?? defaultMaxBodyBytes;
  const app = new Hono();
  app.use(observeRequests({ service: opts.name, logger: opts.logger }));
  // Hono runs handlers in the order they were added: these answer before the limit below is reached.
  opts.rawBodyRoutes?.(app);
  const limit = bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => problemResponse(problem(413, `The body exceeds ${maxBodyBytes} bytes.`)),
  });
  // Connect limits its own messages (readMaxBytes) and answers in its own error format.
  let procedures = new Set<string>();
  app.use((c, next) => (procedures.has(c.req.path) ? next() : limit(c, next)));
  mountOperations(app, { name: opts.name, readiness: opts.readiness, logger: opts.logger });
  procedures = mountConnectRoutes(app, {
    routes: opts.routes,
    interceptors: [
      errorBoundary(opts.logger ?? silentLogger),
      // Internal methods: a service token, checked with the key launchModule hands the app.
      guardInternalMethods(app, opts.logger),
      refuseNulText,
      ...(opts.interceptors ?? []),
    ],
    maxBodyBytes,
  });
  app.notFound(() => problemResponse(problem(404, "There is nothing at this address.")));
  app.onError((error) => {
    opts.logger?.error({ err: error }, "unhandled error");
    return problemResponse(problem(500, "The server failed to handle the request."));
  });
  return app;
}

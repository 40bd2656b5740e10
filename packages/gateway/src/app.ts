import { OpenAPIHono } from "@hono/zod-openapi";
import {
  type AccessTokenVerifier,
  type Logger,
  type LoginThrottle,
  mountOperations,
  observeRequests,
  problem,
  problemResponse,
} from "@instagram/kit";
import type { Hono } from "hono";
import { type GatewayBindings, requireAccessToken } from "./auth/bearer.ts";
import { corsPolicy } from "./cors-policy.ts";
import { errorHandler, notFound, validationProblem } from "./errors/handlers.ts";
import { allowedMethodsOf } from "./errors/method-not-allowed.ts";
import type { ImageServiceHttp } from "./peers/image-service-http.ts";
import { type ServiceTransports, serviceClientsOf } from "./peers/service-clients.ts";
import { loginLimitOf } from "./policy/login-limit.ts";
import { documentedRpcs, registerSharedAnswers, rpcTableMarkdown } from "./policy/openapi.ts";
import { registerAccountRoutes } from "./routes/accounts.ts";
import { registerAuthRoutes } from "./routes/auth.ts";
import { registerCommentRoutes } from "./routes/comments.ts";
import type { ClientAddress, GatewayApp } from "./routes/context.ts";
import { mountDocs } from "./routes/docs.ts";
import { registerFeedRoutes } from "./routes/feed.ts";
import { registerFollowRoutes } from "./routes/follows.ts";
import { registerImageFileRoutes } from "./routes/image-files.ts";
import { registerImageRoutes } from "./routes/images.ts";
import { registerLikeRoutes } from "./routes/likes.ts";
import { mountPublicRpcs, relayedServices } from "./routes/public-rpcs.ts";
import { registerUserRoutes } from "./routes/users.ts";
import { gatewaySecureHeaders } from "./secure-headers.ts";

export interface GatewayDeps {
  /** How to reach each service (kit's createServiceTransport; createRouterTransport in tests). */
  transports: ServiceTransports;
  /** image-service's HTTP side, for the uploads and files that stream through. */
  imageFiles: ImageServiceHttp;
  verifier: AccessTokenVerifier;
  logger: Logger;
  loginThrottle: LoginThrottle;
  clientAddress: ClientAddress;
  /** `*` or a comma-separated list of origins. */
  corsOrigins: string;
  maxJsonBodyBytes: number;
  /** image-service's MAX_UPLOAD_BYTES (uploads declared longer are refused at the edge). */
  maxUploadBytes: number;
  readiness: () => Promise<void>;
  /** Serve /metrics on this public port to `Authorization: Bearer <token>` only; absent: not at all. */
  metricsToken?: string;
}

export function createApp(deps: GatewayDeps): GatewayApp {
  const app: GatewayApp = new OpenAPIHono<GatewayBindings>({ defaultHook: validationProblem });
  const allowedMethods = allowedMethodsOf(() => app.routes);

  app.onError(errorHandler(deps.logger));
  app.notFound((c) => {
    const allow = allowedMethods.at(c.req.path);
    if (allow.length === 0) return notFound();
    return problemResponse(problem(405, `${c.req.method} is not allowed here; use ${allow.join(", ")}.`), {
      allow: allow.join(", "),
    });
  });
  app.use(observeRequests({ service: "gateway", logger: deps.logger }));
  app.use(gatewaySecureHeaders());
  app.use(corsPolicy(deps.corsOrigins));

  mountOperations(app as unknown as Hono, {
    name: "gateway",
    readiness: deps.readiness,
    logger: deps.logger,
    // Never open here: the metrics port (METRICS_PORT) or the token (METRICS_TOKEN).
    metrics: deps.metricsToken ? { token: deps.metricsToken } : "off",
  });

  // One policy (policy/table.ts), enforced by both doors with the same pieces.
  const loginLimit = loginLimitOf(deps.loginThrottle);
  const routeDeps = {
    ...serviceClientsOf(deps.transports),
    imageFiles: deps.imageFiles,
    enforcement: {
      authenticate: requireAccessToken(deps.verifier),
      loginLimit,
      clientAddress: deps.clientAddress,
      maxJsonBodyBytes: deps.maxJsonBodyBytes,
      maxUploadBytes: deps.maxUploadBytes,
    },
  };
  registerAccountRoutes(app, routeDeps);
  registerAuthRoutes(app, routeDeps);
  registerUserRoutes(app, routeDeps);
  registerFollowRoutes(app, routeDeps);
  registerImageFileRoutes(app, routeDeps);
  registerImageRoutes(app, routeDeps);
  registerFeedRoutes(app, routeDeps);
  registerLikeRoutes(app, routeDeps);
  registerCommentRoutes(app, routeDeps);

  mountPublicRpcs(app as unknown as Hono, {
    transports: deps.transports,
    enforcement: {
      verifier: deps.verifier,
      loginLimit,
      clientAddress: deps.clientAddress,
      maxJsonBodyBytes: deps.maxJsonBodyBytes,
    },
  });

  registerSharedAnswers(app.openAPIRegistry);
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access token from POST /v1/auth/login or /v1/auth/refresh.",
  });
  const rpcs = documentedRpcs(relayedServices);
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "instagram-clone API",
      version: "1.0.0",
      description: [
        "Errors are RFC 9457 problem details (application/problem+json).",
        "",
        "## Public Connect RPCs",
        "",
        "Beside REST, the gateway relays the services' public methods (Connect protocol and gRPC-web, " +
          "e.g. connect-web) at `/<package>.<Service>/<Method>`, under the same policy as the REST " +
          "operations: the same access token, the same login limit, the same body limit. " +
          "`x-connect-rpcs` lists them for tools.",
        "",
        rpcTableMarkdown(rpcs),
      ].join("\n"),
    },
    servers: [{ url: "/", description: "The gateway that serves this document." }],
    "x-connect-rpcs": rpcs,
  });
  mountDocs(app as unknown as Hono);
  return app;
}

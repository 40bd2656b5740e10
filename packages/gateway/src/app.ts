import { cors as connectCors } from "@connectrpc/connect";
import { OpenAPIHono } from "@hono/zod-openapi";
import {
  type AccessTokenVerifier,
  HttpProblem,
  type Logger,
  type LoginThrottle,
  mountOperations,
  observeRequests,
  problem,
  problemResponse,
} from "@instagram/kit";
import { Scalar } from "@scalar/hono-api-reference";
import type { Hono, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { type GatewayBindings, requireAccessToken } from "./auth/bearer.ts";
import { errorHandler, notFound, validationProblem } from "./errors/handlers.ts";
import { allowedMethodsOf } from "./errors/method-not-allowed.ts";
import type { ImageServiceHttp } from "./peers/image-service-http.ts";
import { type ServiceTransports, serviceClientsOf } from "./peers/service-clients.ts";
import { registerAccountRoutes } from "./routes/accounts.ts";
import { registerAuthRoutes } from "./routes/auth.ts";
import { registerCommentRoutes } from "./routes/comments.ts";
import type { ClientAddress, GatewayApp } from "./routes/context.ts";
import { registerFeedRoutes } from "./routes/feed.ts";
import { registerFollowRoutes } from "./routes/follows.ts";
import { registerImageFileRoutes, UPLOAD_PATH } from "./routes/image-files.ts";
import { registerImageRoutes } from "./routes/images.ts";
import { registerLikeRoutes } from "./routes/likes.ts";
import { mountPublicRpcs } from "./routes/public-rpcs.ts";
import { registerUserRoutes } from "./routes/users.ts";

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
  readiness: () => Promise<void>;
}

function corsPolicy(origins: string): MiddlewareHandler {
  const list = origins.split(",").map((origin) => origin.trim());
  return cors({
    origin: list.includes("*") ? "*" : list,
    allowMethods: [
      ...new Set([...connectCors.allowedMethods, "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]),
    ],
    allowHeaders: [...connectCors.allowedHeaders, "Authorization", "If-None-Match", "X-Request-Id"],
    exposeHeaders: [
      ...connectCors.exposedHeaders,
      "Retry-After",
      "WWW-Authenticate",
      "Location",
      "X-Request-Id",
    ],
    maxAge: 7200,
  });
}

/**
 * JSON bodies are small. The upload is exempt: Hono's bodyLimit reads a chunked body whole into
 * memory, and image-service enforces the upload limit itself while the bytes stream.
 */
function jsonBodyLimit(maxBytes: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    // The unread rest of the body is still on the socket: close it rather than reuse it.
    onError: () => {
      throw new HttpProblem(413, `The request body exceeds ${maxBytes} bytes.`, {
        headers: { connection: "close" },
      });
    },
  });
  return (c, next) => {
    // Hono's bodyLimit reads c.req.raw.body, which builds a fetch Request: not for a bodiless GET.
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return c.req.method === "POST" && c.req.path === UPLOAD_PATH ? next() : limit(c, next);
  };
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
  app.use(corsPolicy(deps.corsOrigins));
  app.use("/v1/*", jsonBodyLimit(deps.maxJsonBodyBytes));

  mountOperations(app as unknown as Hono, {
    name: "gateway",
    readiness: deps.readiness,
    logger: deps.logger,
  });

  const routeDeps = {
    ...serviceClientsOf(deps.transports),
    imageFiles: deps.imageFiles,
    authenticate: requireAccessToken(deps.verifier),
    loginThrottle: deps.loginThrottle,
    clientAddress: deps.clientAddress,
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
    maxBodyBytes: deps.maxJsonBodyBytes,
  });

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access token from POST /v1/auth/login or /v1/auth/refresh.",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "instagram-clone API",
      version: "1.0.0",
      description: "Errors are RFC 9457 problem details (application/problem+json).",
    },
  });
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "instagram-clone API" }));
  return app;
}

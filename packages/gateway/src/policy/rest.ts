import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import { largestUploadBody } from "@instagram/contracts/upload-body";
import { HttpProblem } from "@instagram/kit";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { GatewayBindings } from "../auth/bearer.ts";
import type { ClientAddress } from "../routes/context.ts";
import { type LoginLimit, tooManyLogins } from "./login-limit.ts";
import { documentedPolicy } from "./openapi.ts";
import { type Operation, type Policy, policies } from "./table.ts";

/** What the REST door needs to enforce the policy table. */
export interface RestEnforcement {
  authenticate: MiddlewareHandler<GatewayBindings>;
  loginLimit: LoginLimit;
  clientAddress: ClientAddress;
  maxJsonBodyBytes: number;
  /** image-service's MAX_UPLOAD_BYTES: a longer declared upload is refused here, unrelayed. */
  maxUploadBytes: number;
}

/** What every authenticated route declares in the OpenAPI document. */
export const bearerSecurity = [{ bearerAuth: [] }];

/**
 * JSON bodies are small; an upload streams to image-service, which enforces its own limit (Hono's
 * bodyLimit would read a chunked body whole into memory).
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
    return limit(c, next);
  };
}

/**
 * An upload whose declared Content-Length exceeds the largest form image-service takes: 413 before a
 * byte is relayed (relayed, the socket buffers of two hops would take tens of MiB of it first). A
 * chunked body is counted by image-service as it streams.
 */
function declaredUploadLimit(maxUploadBytes: number): MiddlewareHandler {
  const largest = largestUploadBody(maxUploadBytes, "multipart");
  return async (c, next) => {
    if (Number(c.req.header("content-length")) > largest) {
      throw new HttpProblem(413, `The upload exceeds ${maxUploadBytes} bytes.`, {
        headers: { connection: "close" },
      });
    }
    await next();
  };
}

/** HTTP/1.1 carries a body only with a length or a transfer coding (RFC 9112 §6.3). */
function hasBody(headers: Headers): boolean {
  const length = headers.get("content-length");
  if (length !== null) return length.trim() !== "0";
  return headers.has("transfer-encoding") || headers.has("content-type");
}

/** A required body that is absent is a 400 (Hono's validator would read it as `{}`). */
const requireBody: MiddlewareHandler = async (c, next) => {
  if (!hasBody(c.req.raw.headers)) throw new HttpProblem(400, "This operation needs a JSON request body.");
  await next();
};

/** The login limit, keyed by the body's `username` (a body without one never reaches auth-service). */
function loginLimited(enforcement: RestEnforcement): MiddlewareHandler {
  return async (c, next) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    const loginName =
      typeof body === "object" && body !== null && "username" in body ? body.username : undefined;
    if (typeof loginName !== "string" || loginName === "") return next();
    const wait = enforcement.loginLimit.admit(loginName, enforcement.clientAddress(c));
    if (wait !== undefined) {
      throw new HttpProblem(429, tooManyLogins, { headers: { "retry-after": String(wait) } });
    }
    await next();
    const status = c.res.status;
    enforcement.loginLimit.settle(
      loginName,
      status === 200 ? "succeeded" : status === 401 ? "refused" : "other",
    );
  };
}

/** The middleware that applies a policy to a REST route, cheapest refusal first. */
export function policyMiddleware(
  enforcement: RestEnforcement,
  policy: Policy,
  opts: { bodyRequired: boolean },
): MiddlewareHandler<GatewayBindings>[] {
  const chain: MiddlewareHandler<GatewayBindings>[] = [];
  if (policy.body === "json") chain.push(jsonBodyLimit(enforcement.maxJsonBodyBytes));
  if (policy.body === "upload") chain.push(declaredUploadLimit(enforcement.maxUploadBytes));
  if (policy.access === "token") chain.push(enforcement.authenticate);
  if (opts.bodyRequired && policy.body === "json") chain.push(requireBody);
  if (policy.rateLimit === "login") chain.push(loginLimited(enforcement));
  return chain;
}

/**
 * A REST route under the policy of its operation: the table decides its security, its middleware
 * and the refusals it documents (401, 413/415, 429, 400 for any input; 503 for a service outage).
 * The route's own `responses` win over these.
 */
export function governedRoute<P extends string, R extends Omit<RouteConfig, "path"> & { path: P }>(
  enforcement: RestEnforcement,
  operation: Operation,
  config: R,
): ReturnType<typeof createRoute<P, R>> & { middleware: MiddlewareHandler<GatewayBindings>[] } {
  const policy: Policy = policies[operation];
  const bodyRequired = config.request?.body?.required === true;
  const route = createRoute(config);
  return Object.assign(route, {
    security: policy.access === "token" ? bearerSecurity : [],
    middleware: policyMiddleware(enforcement, policy, { bodyRequired }),
    responses: { ...documentedPolicy(policy, config), ...config.responses },
    "x-policy": { operation, ...policy },
  });
}

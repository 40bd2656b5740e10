import type { CallOptions } from "@connectrpc/connect";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Caller, GatewayBindings } from "../auth/bearer.ts";
import type { ImageServiceHttp } from "../peers/image-service-http.ts";
import type { ServiceClients } from "../peers/service-clients.ts";
import type { RestEnforcement } from "../policy/rest.ts";

export type GatewayApp = OpenAPIHono<GatewayBindings>;

/** The address a request came from, as far as the runtime can tell. */
export type ClientAddress = (c: Context) => string | undefined;

export interface RouteDeps extends ServiceClients {
  imageFiles: ImageServiceHttp;
  /** How each route's operation policy (policy/table.ts) is enforced: `governedRoute(deps.enforcement, …)`. */
  enforcement: RestEnforcement;
}

/**
 * The options of a service call made for an authenticated request: the caller's token (the service
 * verifies it again) and the request's signal (a client that goes away cancels the call).
 */
export function callOptions(c: { var: { caller: Caller }; req: { raw: Request } }): CallOptions {
  return { headers: { authorization: c.var.caller.authorization }, signal: c.req.raw.signal };
}

/** A page as the services take it, from the `limit` and `cursor` query parameters. */
export function pageRequest(query: { limit: number; cursor?: string | undefined }): {
  limit: number;
  cursor: string;
} {
  return { limit: query.limit, cursor: query.cursor ?? "" };
}

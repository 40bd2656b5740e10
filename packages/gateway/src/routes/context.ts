import type { CallOptions, Client } from "@connectrpc/connect";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AuthService } from "@instagram/contracts/auth";
import type { CommentService } from "@instagram/contracts/comment";
import type { ImageService } from "@instagram/contracts/image";
import type { UserService } from "@instagram/contracts/user";
import type { LoginThrottle } from "@instagram/kit";
import type { Context, MiddlewareHandler } from "hono";
import type { Caller, GatewayBindings } from "../auth/bearer.ts";
import type { ImageServiceHttp } from "../peers/image-service-http.ts";

export type GatewayApp = OpenAPIHono<GatewayBindings>;

/** The address a request came from, as far as the runtime can tell. */
export type ClientAddress = (c: Context) => string | undefined;

export interface RouteDeps {
  auth: Client<typeof AuthService>;
  user: Client<typeof UserService>;
  image: Client<typeof ImageService>;
  comment: Client<typeof CommentService>;
  imageFiles: ImageServiceHttp;
  authenticate: MiddlewareHandler<GatewayBindings>;
  loginThrottle: LoginThrottle;
  clientAddress: ClientAddress;
}

/**
 * The options of a service call made for an authenticated request: the caller's token (the service
 * verifies it again) and the request's signal (a client that goes away cancels the call).
 */
export function callOptions(c: { var: { caller: Caller }; req: { raw: Request } }): CallOptions {
  return { headers: { authorization: c.var.caller.authorization }, signal: c.req.raw.signal };
}

import {
  type AccessTokenVerifier,
  HttpProblem,
  KeySetUnavailable,
  TokenError,
  unauthorized,
} from "@instagram/kit";
import type { MiddlewareHandler } from "hono";

/** The verified caller of a request, and the header to forward so services verify it again. */
export interface Caller {
  accountId: string;
  authorization: string;
}

export type GatewayBindings = { Variables: { caller: Caller } };

const bearerPattern = /^Bearer +([A-Za-z0-9_.~+/-]+=*) *$/i;

/** Lets a request through only with a valid Bearer access token; the caller goes into `c.var.caller`. */
export function requireAccessToken(verifier: AccessTokenVerifier): MiddlewareHandler<GatewayBindings> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) throw unauthorized("This endpoint needs an access token: Authorization: Bearer <token>.");
    const token = bearerPattern.exec(header)?.[1];
    if (!token) throw unauthorized("The Authorization header is not a Bearer token.", "invalid_token");
    let subject: string;
    try {
      ({ subject } = await verifier.verify(token));
    } catch (error) {
      if (error instanceof TokenError) {
        const detail =
          error.reason === "expired" ? "The access token has expired." : "The access token is invalid.";
        throw unauthorized(detail, "invalid_token");
      }
      // The keys could not be fetched: an outage, not a bad token.
      if (error instanceof KeySetUnavailable) {
        throw new HttpProblem(503, "Access tokens cannot be checked right now; try again shortly.");
      }
      throw error;
    }
    c.set("caller", { accountId: subject, authorization: `Bearer ${token}` });
    await next();
  };
}

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

/** Why a request has no caller: each door (REST, the Connect relay) answers it in its own format. */
export type BearerRefusal =
  | { kind: "unauthenticated"; detail: string; tokenError?: "invalid_token" }
  /** The keys could not be fetched: an outage, not a bad token. */
  | { kind: "unavailable"; detail: string };

/** Checks an `Authorization` header: the caller it names, or why there is none. */
export async function callerOf(
  header: string | null | undefined,
  verifier: AccessTokenVerifier,
): Promise<Caller | BearerRefusal> {
  if (!header) {
    return {
      kind: "unauthenticated",
      detail: "This endpoint needs an access token: Authorization: Bearer <token>.",
    };
  }
  const token = bearerPattern.exec(header)?.[1];
  if (!token) {
    return {
      kind: "unauthenticated",
      detail: "The Authorization header is not a Bearer token.",
      tokenError: "invalid_token",
    };
  }
  try {
    const { subject } = await verifier.verify(token);
    return { accountId: subject, authorization: `Bearer ${token}` };
  } catch (error) {
    if (error instanceof TokenError) {
      const detail =
        error.reason === "expired" ? "The access token has expired." : "The access token is invalid.";
      return { kind: "unauthenticated", detail, tokenError: "invalid_token" };
    }
    if (error instanceof KeySetUnavailable) {
      return { kind: "unavailable", detail: "Access tokens cannot be checked right now; try again shortly." };
    }
    throw error;
  }
}

export function isRefusal(checked: Caller | BearerRefusal): checked is BearerRefusal {
  return "kind" in checked;
}

/** Lets a request through only with a valid Bearer access token; the caller goes into `c.var.caller`. */
export function requireAccessToken(verifier: AccessTokenVerifier): MiddlewareHandler<GatewayBindings> {
  return async (c, next) => {
    const checked = await callerOf(c.req.header("authorization"), verifier);
    if (isRefusal(checked)) {
      if (checked.kind === "unavailable") throw new HttpProblem(503, checked.detail);
      throw unauthorized(checked.detail, checked.tokenError);
    }
    c.set("caller", checked);
    await next();
  };
}

import {
  Code,
  ConnectError,
  createContextKey,
  type HandlerContext,
  type Interceptor,
} from "@connectrpc/connect";
import type { JWTPayload } from "jose";
import { KeySetUnavailable } from "../tokens/token-error.ts";
import type { AccessTokenVerifier } from "../tokens/verifier.ts";

/** The verified caller of one RPC: who (the token's subject), the raw token to forward, its claims. */
export interface Caller {
  id: string;
  token: string;
  claims: JWTPayload;
}

const callerKey = createContextKey<Caller | undefined>(undefined, { description: "verified caller" });

/**
 * Server interceptor: no Authorization header → anonymous call; a header with a bad token →
 * Unauthenticated; a good token → the caller is put in the handler context.
 */
export function createAuthInterceptor(verifier: AccessTokenVerifier): Interceptor {
  return (next) => async (req) => {
    const header = req.header.get("authorization");
    if (header === null || header.trim() === "") return next(req);
    const token = /^Bearer +(\S+) *$/i.exec(header)?.[1];
    if (token === undefined) {
      throw new ConnectError("authorization header must be 'Bearer <token>'", Code.Unauthenticated);
    }
    try {
      const { subject, claims } = await verifier.verify(token);
      req.contextValues.set(callerKey, { id: subject, token, claims });
    } catch (error) {
      if (error instanceof KeySetUnavailable) throw new ConnectError(error.message, Code.Unavailable);
      const message = error instanceof Error ? error.message : "invalid access token";
      throw new ConnectError(message, Code.Unauthenticated);
    }
    return next(req);
  };
}

/** The account id of the verified caller, or undefined for an anonymous call. */
export function callerOf(ctx: HandlerContext): string | undefined {
  return ctx.values.get(callerKey)?.id;
}

/** The account id of the verified caller; an anonymous call fails with Unauthenticated. */
export function requireCaller(ctx: HandlerContext): string {
  const caller = callerOf(ctx);
  if (caller === undefined) throw new ConnectError("authentication required", Code.Unauthenticated);
  return caller;
}

/** The caller's raw access token, to forward to the services this call reaches. */
export function bearerOf(ctx: HandlerContext): string | undefined {
  return ctx.values.get(callerKey)?.token;
}

/** Every claim of the caller's verified token. */
export function callerClaimsOf(ctx: HandlerContext): JWTPayload | undefined {
  return ctx.values.get(callerKey)?.claims;
}

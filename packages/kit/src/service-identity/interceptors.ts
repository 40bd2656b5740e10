import {
  Code,
  ConnectError,
  createContextKey,
  type HandlerContext,
  type Interceptor,
} from "@connectrpc/connect";
import type { Logger } from "../log/logger.ts";
import { isInternalMethod } from "./internal-methods.ts";
import {
  SERVICE_TOKEN_HEADER,
  ServiceTokenRefused,
  type ServiceTokenSigner,
  type ServiceTokenVerifier,
} from "./service-tokens.ts";

const callingServiceKey = createContextKey<string | undefined>(undefined, { description: "calling service" });

/** Client interceptor: a call to an internal method carries the calling service's token. */
export function presentServiceToken(signer: ServiceTokenSigner): Interceptor {
  return (next) => async (req) => {
    if (isInternalMethod(req.method)) req.header.set(SERVICE_TOKEN_HEADER, await signer.token());
    return next(req);
  };
}

/**
 * Server interceptor: an internal method answers only a call with a valid service token (a user's
 * access token is no such token) — else Unauthenticated; the calling service is put in the handler
 * context. Every other method (and health, reflection) passes untouched. Without a verifier (the
 * service was not given one) every internal call is refused.
 */
export function requireServiceToken(
  verifier: () => ServiceTokenVerifier | undefined,
  logger?: Logger,
): Interceptor {
  return (next) => async (req) => {
    if (!isInternalMethod(req.method)) return next(req);
    const token = req.header.get(SERVICE_TOKEN_HEADER);
    if (token === null || token === "") {
      throw new ConnectError(
        "only services may call this method: a service token is required",
        Code.Unauthenticated,
      );
    }
    const current = verifier();
    if (current === undefined) {
      throw new ConnectError("this service accepts no service tokens", Code.Unauthenticated);
    }
    try {
      req.contextValues.set(callingServiceKey, await current.verify(token));
    } catch (error) {
      if (!(error instanceof ServiceTokenRefused)) throw error;
      // Most often a deployment whose services were given different keys: say so where it shows.
      logger?.warn(
        { procedure: `${req.service.typeName}/${req.method.name}`, reason: error.message },
        "service token refused",
      );
      throw new ConnectError(error.message, Code.Unauthenticated);
    }
    return next(req);
  };
}

/** The verified calling service of an internal method's call (undefined for any other call). */
export function callingServiceOf(ctx: HandlerContext): string | undefined {
  return ctx.values.get(callingServiceKey);
}

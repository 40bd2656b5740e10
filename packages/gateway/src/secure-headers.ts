import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/**
 * hono's secure headers on every answer of the gateway (JSON, problems, files, relayed RPCs): nosniff,
 * no framing, no referrer, HSTS, and a CSP that lets an API answer load nothing. A handler that sets
 * one of these headers itself keeps it (the /docs page brings its own CSP).
 */
export function gatewaySecureHeaders(): MiddlewareHandler {
  return secureHeaders({
    overwrite: false,
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
    // Image files are embedded by pages of other origins (<img>), which this policy would block.
    crossOriginResourcePolicy: "cross-origin",
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
    },
  });
}

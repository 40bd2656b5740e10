import { cors as connectCors } from "@connectrpc/connect";
import { FIELD_ERRORS_KEY } from "@instagram/kit";
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";

const allowMethods = [
  ...new Set([...connectCors.allowedMethods, "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]),
];
const allowHeaders = [
  ...connectCors.allowedHeaders,
  "Authorization",
  "Idempotency-Key",
  "If-None-Match",
  "X-Request-Id",
];
const exposeHeaders = [
  ...connectCors.exposedHeaders,
  "Retry-After",
  "WWW-Authenticate",
  "Location",
  "X-Request-Id",
  // Field problems of a refused Connect call (gRPC-web carries them in its trailers).
  FIELD_ERRORS_KEY,
];

/**
 * CORS for `*` or a comma-separated list of origins: hono's cors answers preflights; on every
 * other request the headers go onto the answer once it is made. (hono's cors sets them on `c.res`
 * before the handler runs, and hono then rebuilds each answer to merge them in: a quarter of the
 * gateway's own work on a small JSON read.)
 */
export function corsPolicy(origins: string): MiddlewareHandler {
  const list = origins.split(",").map((origin) => origin.trim());
  const anyOrigin = list.includes("*");
  const preflight = cors({
    origin: anyOrigin ? "*" : list,
    allowMethods,
    allowHeaders,
    exposeHeaders,
    maxAge: 7200,
  });
  const exposed = exposeHeaders.join(",");
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return preflight(c, next);
    await next();
    const origin = c.req.header("origin") ?? "";
    const allowOrigin = anyOrigin ? "*" : list.includes(origin) ? origin : undefined;
    const apply = (headers: Headers): void => {
      if (allowOrigin !== undefined) headers.set("Access-Control-Allow-Origin", allowOrigin);
      headers.set("Access-Control-Expose-Headers", exposed);
      if (!anyOrigin) headers.append("Vary", "Origin");
    };
    try {
      apply(c.res.headers);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      // An answer whose headers are immutable (a fetch() response passed on): a copy takes them.
      c.res = new Response(c.res.body, c.res);
      apply(c.res.headers);
    }
  };
}

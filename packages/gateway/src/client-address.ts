import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { ClientAddress } from "./routes/context.ts";

/** Deno.serve's handler info, which the Deno entry hands to the app as its env. */
function denoRemoteAddress(env: unknown): string | undefined {
  if (typeof env !== "object" || env === null || !("remoteAddr" in env)) return undefined;
  const { remoteAddr } = env as { remoteAddr: { hostname?: unknown } };
  return typeof remoteAddr.hostname === "string" ? remoteAddr.hostname : undefined;
}

/** The socket's peer on @hono/node-server or Deno.serve; undefined elsewhere (tests calling the app). */
function socketAddress(c: Context): string | undefined {
  const onDeno = denoRemoteAddress(c.env);
  if (onDeno !== undefined) return onDeno;
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * Where a request came from. Behind a trusted reverse proxy, the last X-Forwarded-For entry is
 * the address the proxy itself saw (earlier entries are whatever the client claimed); otherwise
 * the header is ignored, since anyone can send it.
 */
export function clientAddressOf(opts: { trustedProxy: boolean }): ClientAddress {
  return (c) => {
    if (opts.trustedProxy) {
      const hops = c.req.header("x-forwarded-for")?.split(",") ?? [];
      const nearest = hops[hops.length - 1]?.trim();
      if (nearest) return nearest;
    }
    return socketAddress(c);
  };
}

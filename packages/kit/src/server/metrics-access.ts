import type { Context } from "hono";
import { problem, problemResponse } from "../errors/problem.ts";
import { metricsRegistry } from "./metrics.ts";

/**
 * Who may read /metrics on a port: `open` (a service's internal port), `off` (not served: a public
 * port whose metrics are on an internal one), or `{ token }` (a public port: `Authorization: Bearer
 * <token>`, e.g. Prometheus's `authorization.credentials_file`).
 */
export type MetricsAccess = "open" | "off" | { token: string };

export async function metricsAnswer(): Promise<Response> {
  const text = await metricsRegistry.metrics();
  return new Response(text, { headers: { "content-type": metricsRegistry.contentType } });
}

/** The /metrics handler for `access` (with "off" the route is not mounted at all). */
export function metricsHandler(access: Exclude<MetricsAccess, "off">): (c: Context) => Promise<Response> {
  return async (c) => {
    if (access !== "open" && !sameText(bearerOf(c.req.header("authorization")), access.token)) {
      return problemResponse(problem(401, "/metrics needs the metrics token (Authorization: Bearer …)."), {
        "www-authenticate": 'Bearer realm="metrics"',
      });
    }
    return metricsAnswer();
  };
}

function bearerOf(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? "";
}

/** Compares in a time that does not depend on where the texts differ (only on the length). */
function sameText(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  if (a.length !== b.length || b.length === 0) return false;
  let difference = 0;
  for (let i = 0; i < b.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

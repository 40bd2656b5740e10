import type { Context } from "hono";
import { matchedRoutes } from "hono/route";

/** The route pattern that answered (never the raw path: bounded cardinality), or "unmatched". */
export function matchedRoute(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i];
    if (route && route.method !== "ALL") return route.path;
  }
  const wildcard = routes.findLast((route) => route.path !== "*" && route.path !== "/*");
  return wildcard?.path ?? "unmatched";
}

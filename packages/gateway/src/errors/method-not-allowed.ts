import type { RouterRoute } from "hono/types";

export interface AllowedMethods {
  /** The methods some route serves at this path; empty when no route has the path at all. */
  at(path: string): string[];
}

function patternOf(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) => {
      if (segment === "*") return ".*";
      if (segment.startsWith(":")) return "[^/]+";
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${source}/?$`);
}

/** Reads the app's routes (not its middleware) once, on first use, when all are registered. */
export function allowedMethodsOf(routes: () => RouterRoute[]): AllowedMethods {
  let table: { pattern: RegExp; method: string }[] | undefined;
  return {
    at(path) {
      table ??= routes()
        .filter((route) => route.method !== "ALL")
        .map((route) => ({ pattern: patternOf(route.path), method: route.method.toUpperCase() }));
      const methods = new Set(table.filter((route) => route.pattern.test(path)).map((route) => route.method));
      if (methods.has("GET")) methods.add("HEAD");
      return [...methods].sort();
    },
  };
}

import type { Env, Hono, Schema } from "hono";
import { problem, problemResponse } from "../errors/problem.ts";
import type { Logger } from "../log/logger.ts";
import { type MetricsAccess, metricsHandler } from "./metrics-access.ts";

/** Seconds a load balancer is told to wait before asking /readyz again. */
const NOT_READY_RETRY_AFTER_SECONDS = "1";

/**
 * GET /healthz (alive), /readyz (dependencies answer: 503 problem+json with Retry-After when one
 * does not), /metrics (Prometheus text). A readiness change is logged once (not ready, ready again),
 * not at every probe.
 */
export function mountOperations<E extends Env, S extends Schema, P extends string>(
  app: Hono<E, S, P>,
  opts: {
    name: string;
    readiness: () => Promise<void>;
    logger?: Logger;
    /** Who may read /metrics here; default "open" (a service's port is internal). */
    metrics?: MetricsAccess;
  },
): void {
  let notReadySince: number | undefined;
  app.get("/healthz", (c) => c.json({ status: "ok", service: opts.name }));
  app.get("/readyz", async (c) => {
    try {
      await opts.readiness();
    } catch (error) {
      // The cause goes to the log only: it may name hosts or carry SQL.
      if (notReadySince === undefined) {
        notReadySince = Date.now();
        opts.logger?.warn({ err: error }, "not ready");
      }
      return problemResponse(problem(503, `${opts.name} is not ready`), {
        "retry-after": NOT_READY_RETRY_AFTER_SECONDS,
      });
    }
    if (notReadySince !== undefined) {
      opts.logger?.info({ notReadyMs: Date.now() - notReadySince }, "ready again");
      notReadySince = undefined;
    }
    return c.json({ status: "ready", service: opts.name });
  });
  const metrics = opts.metrics ?? "open";
  if (metrics !== "off") app.get("/metrics", metricsHandler(metrics));
}

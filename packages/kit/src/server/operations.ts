import type { Env, Hono, Schema } from "hono";
import { problem, problemResponse } from "../errors/problem.ts";
import type { Logger } from "../log/logger.ts";
import { metricsRegistry } from "./metrics.ts";

/** GET /healthz (alive), /readyz (dependencies answer), /metrics (Prometheus text). */
export function mountOperations<E extends Env, S extends Schema, P extends string>(
  app: Hono<E, S, P>,
  opts: { name: string; readiness: () => Promise<void>; logger?: Logger },
): void {
  app.get("/healthz", (c) => c.json({ status: "ok", service: opts.name }));
  app.get("/readyz", async (c) => {
    try {
      await opts.readiness();
    } catch (error) {
      // The cause goes to the log only: it may name hosts or carry SQL.
      opts.logger?.warn({ err: error }, "not ready");
      return problemResponse(problem(503, `${opts.name} is not ready`), { "retry-after": "1" });
    }
    return c.json({ status: "ready", service: opts.name });
  });
  app.get("/metrics", async () => {
    const text = await metricsRegistry.metrics();
    return new Response(text, { headers: { "content-type": metricsRegistry.contentType } });
  });
}

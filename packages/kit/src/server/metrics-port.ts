import { Hono } from "hono";
import { problem, problemResponse } from "../errors/problem.ts";
import type { Logger } from "../log/logger.ts";
import { metricsAnswer } from "./metrics-access.ts";
import { type NodeServer, serveNode } from "./node-server.ts";

/**
 * GET /metrics alone on its own port (e.g. 9464), for a process whose main port is public: the
 * scraper reaches it inside the network, the internet never does. 0 picks a free port.
 */
export function serveMetricsPort(opts: { host: string; port: number; logger?: Logger }): Promise<NodeServer> {
  const app = new Hono();
  app.get("/metrics", () => metricsAnswer());
  app.notFound(() => problemResponse(problem(404, "this port serves GET /metrics only")));
  return serveNode({ app, host: opts.host, port: opts.port, logger: opts.logger, drainMs: 1_000 });
}

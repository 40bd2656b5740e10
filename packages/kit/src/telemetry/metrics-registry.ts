import { collectDefaultMetrics, Registry } from "prom-client";

/** One registry per process: in the embedded stack every service shares it, told apart by the `service` label. */
export const metricsRegistry: Registry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

import { pino } from "pino";
import { activeTraceIds } from "../telemetry/trace-context.ts";

export type Logger = pino.Logger;

/** Logs nothing: for apps and tests that were given no logger. */
export const silentLogger: Logger = pino({ level: "silent" });

/** Each service-bound logger's root, so another service name replaces the field instead of repeating it. */
const unboundRoots = new WeakMap<Logger, Logger>();

/**
 * JSON logs on stdout; every line carries the service name, and trace_id/span_id while a span is
 * active.
 */
export function createLogger(opts: {
  service: string;
  level?: string;
  /** Default stdout. */
  destination?: pino.DestinationStream;
}): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level ?? "info",
    base: null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: activeTraceIds,
  };
  const root = opts.destination === undefined ? pino(options) : pino(options, opts.destination);
  return bindService(root, opts.service);
}

/**
 * `logger` with its `service` field set to `service`. A pino child repeats a field its parent has,
 * so for a logger from createLogger this binds the name to the root instead.
 */
export function serviceLogger(logger: Logger, service: string): Logger {
  if (logger.bindings().service === service) return logger;
  const root = unboundRoots.get(logger);
  return root === undefined ? logger.child({ service }) : bindService(root, service, logger.level);
}

function bindService(root: Logger, service: string, level?: string): Logger {
  const logger = root.child({ service }, level === undefined ? undefined : { level });
  unboundRoots.set(logger, root);
  return logger;
}

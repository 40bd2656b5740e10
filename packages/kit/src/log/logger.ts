import { pino } from "pino";
import { PinoPretty } from "pino-pretty";
import { ConfigError } from "../config/parse-env.ts";
import { activeTraceIds } from "../telemetry/trace-context.ts";

export type Logger = pino.Logger;

/** Logs nothing: for apps and tests that were given no logger. */
export const silentLogger: Logger = pino({ level: "silent" });

/** Each service-bound logger's root, so another service name replaces the field instead of repeating it. */
const unboundRoots = new WeakMap<Logger, Logger>();

/** "pretty": one coloured line per entry for a person at a terminal; "json": one JSON object per line. */
export type LogFormat = "pretty" | "json";

/**
 * LOG_FORMAT when set (pretty|json), else pretty on a terminal and JSON otherwise (a pipe, a file,
 * a container's log collector).
 */
export function logFormatOf(env: { LOG_FORMAT?: string | undefined }, isTerminal: boolean): LogFormat {
  const format = env.LOG_FORMAT?.trim();
  if (format === undefined || format === "") return isTerminal ? "pretty" : "json";
  if (format === "pretty" || format === "json") return format;
  throw new ConfigError([`LOG_FORMAT: expected "pretty" or "json", got "${format}"`]);
}

/**
 * Logs on stdout, in the format of logFormatOf(process.env) unless a destination is given (then
 * JSON); every entry carries the service name, and trace_id/span_id while a span is active.
 */
export function createLogger(opts: {
  service: string;
  level?: string;
  /** Default stdout. */
  destination?: pino.DestinationStream;
  /** Default logFormatOf(process.env, stdout is a terminal); only for stdout. */
  format?: LogFormat;
}): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level ?? "info",
    base: null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: activeTraceIds,
  };
  const format = opts.format ?? logFormatOf(process.env, process.stdout.isTTY === true);
  const destination =
    opts.destination ??
    (format === "pretty"
      ? // Colours follow the terminal (and NO_COLOR / FORCE_COLOR).
        PinoPretty({
          translateTime: "SYS:HH:MM:ss.l",
          singleLine: true,
          ignore: "service",
          messageFormat: "[{service}] {msg}",
        })
      : undefined);
  const root = destination === undefined ? pino(options) : pino(options, destination);
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

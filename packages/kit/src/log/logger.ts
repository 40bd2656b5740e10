import { pino } from "pino";

export type Logger = pino.Logger;

/** JSON logs on stdout; every line carries the service name. */
export function createLogger(opts: { service: string; level?: string }): Logger {
  return pino({
    level: opts.level ?? "info",
    base: { service: opts.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

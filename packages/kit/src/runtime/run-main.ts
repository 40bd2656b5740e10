import { ConfigError } from "../config/parse-env.ts";
import type { Logger } from "../log/logger.ts";

/** What a Node entry runs: stop() ends the service; close(), if any, then releases what it used. */
export interface MainProcess {
  stop(): Promise<void>;
  /** E.g. the runtime's close(): database, bus, discovery, tracing. Called after stop, even if it failed. */
  close?(): Promise<void>;
  /** Logs the stop from here on (e.g. the runtime's logger, at the configured level). */
  logger?: Logger;
}

/**
 * The Node entry's loop: start, then on SIGINT/SIGTERM stop once, close, and exit 0 (1 when either
 * failed). A second signal exits at once. A ConfigError at start prints its message (no stack) and
 * exits 1, so `start` is where the entry should read its configuration. `logger` reports a failed
 * start, and the stop unless the started process brings its own.
 */
export function runMain(start: () => Promise<MainProcess>, logger: Logger): void {
  let stopping = false;
  let stopLogger = logger;
  const starting = Promise.resolve()
    .then(start)
    .then((running) => {
      stopLogger = running.logger ?? logger;
      return running;
    });

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      stopLogger.warn({ signal }, "second signal: exiting without waiting");
      process.exit(1);
    }
    stopping = true;
    stopLogger.info({ signal }, "stopping");
    void starting.then(
      async (running) => {
        let failed = false;
        try {
          await running.stop();
        } catch (error) {
          failed = true;
          stopLogger.error({ err: error }, "stop failed");
        }
        try {
          await running.close?.();
        } catch (error) {
          failed = true;
          stopLogger.error({ err: error }, "close failed");
        }
        process.exit(failed ? 1 : 0);
      },
      () => {
        // A failed start is reported below.
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  starting.catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      logger.fatal({ err: error }, "failed to start");
    }
    process.exit(1);
  });
}

import { ConfigError } from "../config/parse-env.ts";
import type { Logger } from "../log/logger.ts";

/**
 * The Node entry's loop: start, then on SIGINT/SIGTERM stop once and exit 0. A second signal exits at
 * once. A ConfigError at start prints its message (no stack) and exits 1.
 */
export function runMain(start: () => Promise<{ stop(): Promise<void> }>, logger: Logger): void {
  let stopping = false;
  const starting = Promise.resolve().then(start);

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting without waiting");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "stopping");
    starting
      .then((running) => running.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "stop failed");
          process.exit(1);
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

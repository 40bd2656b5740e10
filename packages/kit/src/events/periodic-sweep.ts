import type { Logger } from "../log/logger.ts";
import { createPause } from "./pause.ts";

export interface PeriodicSweep {
  /** Runs one sweep now; resolves to how many rows it handled. */
  sweep(): Promise<number>;
  /** Stops the period, waiting for a sweep in progress (which ends after its current batch). */
  stop(): Promise<void>;
}

/**
 * Runs `sweep` at start and then every `everyMs` until stopped. A failed sweep (database away)
 * is logged and tried again at the next period. `sweep` gets `stopped()` to end its batches early.
 */
export function startPeriodicSweep(opts: {
  everyMs: number;
  logger: Logger;
  /** What is swept, for the log line of a failure. */
  what: string;
  sweep: (stopped: () => boolean) => Promise<number>;
}): PeriodicSweep {
  const pause = createPause();
  let stopped = false;
  const isStopped = () => stopped;
  const sweep = () => opts.sweep(isStopped);

  const loop = (async () => {
    while (!stopped) {
      await sweep().catch((error: unknown) => {
        opts.logger.warn({ err: error }, `${opts.what} sweep failed; trying again at the next period`);
      });
      await pause.sleep(opts.everyMs);
    }
  })();

  return {
    sweep,
    async stop() {
      stopped = true;
      pause.stop();
      await loop;
    },
  };
}

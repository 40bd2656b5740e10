import type { Database, Logger } from "@instagram/kit";
import { trimTimelines } from "../db/timelines.ts";
import type { FeedPolicy } from "../domain/feed-policy.ts";

export interface TimelineTrimmer {
  /** One pass; returns how many entries it removed. */
  run(): Promise<number>;
  stop(): Promise<void>;
}

const BATCH = 10_000;

/** Removes timeline entries behind the horizon (older pages are read from the follow graph). */
export function startTimelineTrimmer(opts: {
  db: Database;
  policy: FeedPolicy;
  logger: Logger;
  intervalMs?: number;
}): TimelineTrimmer {
  const logger = opts.logger.child({ component: "timeline-trimmer" });
  let running: Promise<number> | undefined;
  let stopped = false;

  async function pass(): Promise<number> {
    const before = opts.policy.keepFrom(new Date());
    let removed = 0;
    for (;;) {
      const batch = await trimTimelines(opts.db, before, BATCH);
      removed += batch;
      if (batch < BATCH || stopped) return removed;
    }
  }

  function run(): Promise<number> {
    running ??= pass()
      .catch((error: unknown) => {
        logger.warn({ err: error }, "timeline trim failed; retried on the next pass");
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  const timer = setInterval(() => void run(), opts.intervalMs ?? 3_600_000);
  timer.unref?.();
  return {
    run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

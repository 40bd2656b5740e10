import type { Logger } from "pino";

/** Logs an outage as two lines (lost, then recovered) however many attempts fail in between. */
export interface OutageLog {
  /** An attempt failed for a dependency being away: logged only when it was up until now. */
  lost(error: unknown): void;
  /** An attempt succeeded: logged only after a loss, with how long it lasted. */
  recovered(): void;
  /** Whether a loss is being waited out. */
  readonly down: boolean;
}

export function createOutageLog(
  logger: Logger,
  messages: { lost: string; recovered: string } = {
    lost: "dependency unavailable, retrying until it answers",
    recovered: "dependency back, consuming again",
  },
): OutageLog {
  let since: number | undefined;
  let failures = 0;
  return {
    lost(error) {
      failures++;
      if (since !== undefined) return;
      since = Date.now();
      logger.warn({ err: error }, messages.lost);
    },
    recovered() {
      if (since === undefined) return;
      logger.info({ outageMs: Date.now() - since, failedAttempts: failures }, messages.recovered);
      since = undefined;
      failures = 0;
    },
    get down() {
      return since !== undefined;
    },
  };
}

import { z } from "zod";
import { DEFAULT_INBOX_RETENTION_MS } from "../events/inbox-sweep.ts";

/**
 * The variables of a service that consumes events, beside the common ones:
 * `commonEnvSchema.extend({ ...consumerEnvShape, … })`.
 */
export const consumerEnvShape = {
  /**
   * How long the inbox keeps a processed event's id (a redelivery within it changes nothing);
   * older rows are swept. Longer than any redelivery or replay can be late; default 7 days.
   */
  INBOX_RETENTION_SECONDS: z.coerce
    .number({ error: "expected a number of seconds" })
    .int("expected whole seconds")
    .min(60, "expected at least 60 seconds")
    .default(DEFAULT_INBOX_RETENTION_MS / 1000),
};

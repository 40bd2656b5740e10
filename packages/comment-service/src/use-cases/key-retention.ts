import {
  type Database,
  type IdempotencyKeySweep,
  type Logger,
  startIdempotencyKeySweep,
} from "@instagram/kit";
import { forgetKeysBefore } from "../db/comments.ts";

/** Forgets the Idempotency-Keys of comments past their retention, at start and then hourly. */
export function startCommentKeySweep(deps: {
  db: Database;
  logger: Logger;
  now?: () => Date;
}): IdempotencyKeySweep {
  return startIdempotencyKeySweep({
    service: "comment",
    logger: deps.logger,
    now: deps.now,
    forget: (before, limit) => forgetKeysBefore(deps.db, before, limit),
  });
}

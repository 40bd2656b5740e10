import {
  type Database,
  type IdempotencyKeySweep,
  type Logger,
  startIdempotencyKeySweep,
} from "@instagram/kit";
import { forgetImageKeysBefore } from "../db/images.ts";

/** Forgets the Idempotency-Keys of images past their retention, at start and then hourly. */
export function startImageKeySweep(deps: { db: Database; logger: Logger }): IdempotencyKeySweep {
  return startIdempotencyKeySweep({
    service: "image",
    logger: deps.logger,
    forget: (before, limit) => forgetImageKeysBefore(deps.db, before, limit),
  });
}

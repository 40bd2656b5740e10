export {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_RETENTION_MS,
  idempotencyKeyReused,
  readIdempotencyKey,
} from "./idempotency-key.ts";
export {
  type IdempotencyKeySweep,
  idempotencyKeysForgottenTotal,
  startIdempotencyKeySweep,
} from "./key-sweep.ts";

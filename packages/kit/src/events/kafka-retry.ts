import type { Logger } from "pino";
import { backoffMs, type Pause } from "./pause.ts";

/** Kafka answers that only mean "not yet": a topic just created, its leader still being elected. */
const NOT_YET = new Set(["UNKNOWN_TOPIC_OR_PARTITION", "LEADER_NOT_AVAILABLE"]);
/** In createTopics' aggregate error: another client created that topic first, so it is done. */
const ALREADY_EXISTS = "TOPIC_ALREADY_EXISTS";
const MAX_DEPTH = 5;

interface KafkaErrorFields {
  retriable?: unknown;
  type?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function fieldsOf(error: unknown): KafkaErrorFields | undefined {
  return typeof error === "object" && error !== null ? (error as KafkaErrorFields) : undefined;
}

/**
 * Whether trying again may succeed: a kafkajs error marked retriable or of a "not yet" type, also
 * behind kafkajs's wrappers (retries exhausted, non-retriable wrap: both keep it as `cause`) and in
 * createTopics' aggregate (one error per topic; "already exists" counts as done).
 */
export function isRetriableKafkaError(error: unknown, depth = 0): boolean {
  const fields = fieldsOf(error);
  if (fields === undefined || depth > MAX_DEPTH) return false;
  if (typeof fields.type === "string" && NOT_YET.has(fields.type)) return true;
  if (Array.isArray(fields.errors)) {
    const failed = fields.errors.filter((inner) => fieldsOf(inner)?.type !== ALREADY_EXISTS);
    return failed.length > 0 && failed.every((inner) => isRetriableKafkaError(inner, depth + 1));
  }
  if (fields.retriable === true) return true;
  return isRetriableKafkaError(fields.cause, depth + 1);
}

export interface KafkaRetryOptions {
  /** What is being done, for the log line. */
  what: string;
  /** No attempt starts after this long; the last error is thrown then. */
  budgetMs: number;
  logger: Logger;
  /** Its stop() ends a backoff at once (the bus closing). */
  pause: Pause;
  /** True once the bus is closed: no further attempt. */
  closed(): boolean;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Runs `work` again after a retriable Kafka error, with backoff, within a time budget. */
export async function retryKafka<T>(work: () => Promise<T>, opts: KafkaRetryOptions): Promise<T> {
  const deadline = Date.now() + opts.budgetMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const left = deadline - Date.now();
      if (!isRetriableKafkaError(error) || opts.closed() || left <= 0) throw error;
      const delay = Math.min(left, backoffMs(attempt, opts.baseDelayMs ?? 100, opts.maxDelayMs ?? 2_000));
      opts.logger.debug(
        { err: error, attempt, delayMs: delay },
        `${opts.what}: kafka not ready, trying again`,
      );
      await opts.pause.sleep(delay);
      if (opts.closed()) throw error;
    }
  }
}

/** A state that is not reached yet (no leader elected): retriable for retryKafka. */
export class KafkaNotReady extends Error {
  readonly retriable = true;
}

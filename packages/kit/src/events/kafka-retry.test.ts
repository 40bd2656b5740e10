import {
  KafkaJSAggregateError,
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} from "kafkajs";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { isRetriableKafkaError, KafkaNotReady, type KafkaRetryOptions, retryKafka } from "./kafka-retry.ts";
import { createPause } from "./pause.ts";

/** A broker's error answer, as kafkajs makes it from the error code. */
function protocolError(type: string, retriable: boolean): KafkaJSProtocolError {
  return new KafkaJSProtocolError(Object.assign(new Error(type), { type, code: 0, retriable }));
}

const unknownTopic = () => protocolError("UNKNOWN_TOPIC_OR_PARTITION", true);

describe("isRetriableKafkaError", () => {
  it("retries a topic the broker does not serve yet and a leader not elected yet", () => {
    expect(isRetriableKafkaError(unknownTopic())).toBe(true);
    expect(isRetriableKafkaError(protocolError("LEADER_NOT_AVAILABLE", false))).toBe(true);
  });

  it("retries what kafkajs marks retriable, also behind its wrappers", () => {
    const refused = new KafkaJSConnectionError("connect ECONNREFUSED");
    expect(isRetriableKafkaError(refused)).toBe(true);
    expect(
      isRetriableKafkaError(new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 8, retryTime: 5_000 })),
    ).toBe(true);
    // kafkajs's retrier wraps what it does not retry itself, keeping the original as `cause`.
    const wrapped = Object.assign(new KafkaJSNonRetriableError(unknownTopic()), { cause: unknownTopic() });
    expect(isRetriableKafkaError(wrapped)).toBe(true);
  });

  it("does not retry a refusal, a kafkajs non-retriable error or a plain error", () => {
    expect(isRetriableKafkaError(protocolError("TOPIC_AUTHORIZATION_FAILED", false))).toBe(false);
    expect(isRetriableKafkaError(new KafkaJSNonRetriableError("Invalid topics array"))).toBe(false);
    expect(isRetriableKafkaError(new TypeError("x is undefined"))).toBe(false);
    expect(isRetriableKafkaError("boom")).toBe(false);
  });

  it("reads createTopics' aggregate: topics already made count as done, the rest decide", () => {
    const exists = protocolError("TOPIC_ALREADY_EXISTS", false);
    const aggregate = (errors: Error[]) => new KafkaJSAggregateError("Topic creation errors", errors);
    expect(isRetriableKafkaError(aggregate([exists, unknownTopic()]))).toBe(true);
    expect(
      isRetriableKafkaError(aggregate([exists, protocolError("INVALID_REPLICATION_FACTOR", false)])),
    ).toBe(false);
    expect(isRetriableKafkaError(aggregate([exists]))).toBe(false);
  });
});

describe("retryKafka", () => {
  const logger = pino({ level: "silent" });
  const options = (overrides: Partial<KafkaRetryOptions> = {}): KafkaRetryOptions => ({
    what: "test",
    budgetMs: 2_000,
    logger,
    pause: createPause(),
    closed: () => false,
    baseDelayMs: 1,
    maxDelayMs: 5,
    ...overrides,
  });

  it("tries again after retriable errors until the work succeeds", async () => {
    let calls = 0;
    const result = await retryKafka(async () => {
      calls++;
      if (calls < 4) throw unknownTopic();
      return "sent";
    }, options());
    expect(result).toBe("sent");
    expect(calls).toBe(4);
  });

  it("throws a non-retriable error at once", async () => {
    let calls = 0;
    const refusal = protocolError("TOPIC_AUTHORIZATION_FAILED", false);
    await expect(
      retryKafka(async () => {
        calls++;
        throw refusal;
      }, options()),
    ).rejects.toBe(refusal);
    expect(calls).toBe(1);
  });

  it("gives up with the last error once the budget is spent", async () => {
    let calls = 0;
    const started = Date.now();
    const failure = await retryKafka(
      async () => {
        calls++;
        throw new KafkaNotReady(`no leader yet (attempt ${calls})`);
      },
      options({ budgetMs: 100, maxDelayMs: 10 }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KafkaNotReady);
    expect((failure as Error).message).toBe(`no leader yet (attempt ${calls})`);
    expect(calls).toBeGreaterThan(2);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("stops retrying once the bus is closed, without waiting out the backoff", async () => {
    let closed = false;
    const pause = createPause();
    let calls = 0;
    const started = Date.now();
    const running = retryKafka(
      async () => {
        calls++;
        throw unknownTopic();
      },
      options({ pause, closed: () => closed, budgetMs: 60_000, baseDelayMs: 30_000, maxDelayMs: 30_000 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    closed = true;
    pause.stop();
    await expect(running).rejects.toThrow("UNKNOWN_TOPIC_OR_PARTITION");
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

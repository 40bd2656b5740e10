import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { testEvent } from "../testing/events.ts";
import { startConsumer } from "./consumer.ts";
import type { EventEnvelope } from "./envelope.ts";
import { createInProcessBus } from "./in-process-bus.ts";
import { createPause } from "./pause.ts";
import { startServiceEvents } from "./service-events.ts";
import { openTestDatabase, type TestDatabase } from "./test-fixtures/database.ts";
import { inbox, outbox } from "./test-fixtures/schema.ts";

const logger = pino({ level: "silent" });

describe("Pause", () => {
  it("ends a sleep on wake, and every sleep, also a later one, once stopped", async () => {
    const pause = createPause();
    const started = Date.now();
    const woken = pause.sleep(60_000);
    pause.wake();
    await woken;
    pause.stop();
    await pause.sleep(60_000);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe("consumer stop", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  }, 60_000);
  afterAll(() => database?.close());

  it("does not wait out the retry delay when stopped while a handler is failing", async () => {
    const bus = createInProcessBus({ logger });
    let entered!: () => void;
    const handling = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let fail!: () => void;
    const failing = new Promise<void>((resolve) => {
      fail = resolve;
    });
    let attempts = 0;
    const consumer = await startConsumer({
      name: "stop-test",
      db: database.db,
      inbox,
      bus,
      logger,
      retryDelayMs: 30_000,
      handlers: {
        users: {
          FOLLOWED: async () => {
            attempts++;
            entered();
            await failing;
            throw new Error("handler failed");
          },
        },
      },
    });
    await bus.send([testEvent("users", "FOLLOWED", { followerId: "a", followeeId: "b" })]);
    await handling;

    const started = Date.now();
    const stopping = consumer.stop(); // the handler is still running: no sleep to wake yet
    fail();
    await stopping;
    expect(Date.now() - started).toBeLessThan(2_000); // the retry delay is 5 s (capped)
    expect(attempts).toBe(1);
    await bus.close();
  }, 20_000);
});

describe("startServiceEvents", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  }, 60_000);
  afterAll(() => database?.close());

  it("consumes with handlers that publish through the service's outbox, and relays what they publish", async () => {
    const bus = createInProcessBus({ logger });
    const seen: EventEnvelope[] = [];
    await bus.subscribe({
      group: "watcher",
      topics: ["users"],
      handle: async (event) => {
        seen.push(event);
      },
    });
    const events = await startServiceEvents({
      db: database.db,
      bus,
      logger,
      outbox,
      consumer: {
        name: "service-events-test",
        inbox,
        handlers: (serviceOutbox) => ({
          accounts: {
            DELETED: async (tx, account) => {
              await serviceOutbox.publish(tx, {
                topic: "users",
                type: "DELETED",
                aggregateId: account.accountId,
                payload: { userId: account.accountId, username: account.username },
              });
            },
          },
        }),
      },
    });
    const deleted = testEvent("accounts", "DELETED", { accountId: "acc-1", username: "gone" });
    await bus.send([deleted]);
    await vi.waitFor(() => expect(seen.map((e) => `${e.type}:${e.aggregateId}`)).toContain("DELETED:acc-1"), {
      timeout: 5_000,
    });
    await events.stop();
    await bus.close();
  }, 20_000);

  it("throws what keeps the consumer from starting", async () => {
    const bus = createInProcessBus({ logger });
    const broken = { ...bus, subscribe: () => Promise.reject(new Error("no broker")) };
    await expect(
      startServiceEvents({
        db: database.db,
        bus: broken,
        logger,
        outbox,
        consumer: { name: "never", inbox, handlers: () => ({ users: { FOLLOWED: async () => {} } }) },
      }),
    ).rejects.toThrow("no broker");
    await bus.close();
  });
});

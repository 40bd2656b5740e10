import { create, toBinary } from "@bufbuild/protobuf";
import { UserFollowedSchema } from "@instagram/contracts/user";
import { eq, inArray, isNull } from "drizzle-orm";
import pino from "pino";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { newId } from "../../db/ids.ts";
import { type Consumer, type EventHandlers, startConsumer } from "../consumer.ts";
import type { EventBus, EventEnvelope } from "../envelope.ts";
import { startOutboxRelay } from "../outbox-relay.ts";
import type { TestDatabase } from "./database.ts";
import { appliedOrder, countFollowers, followersOf, publishFollow, testTraceparent } from "./follows.ts";
import { inbox, outbox } from "./schema.ts";

export interface PipelineSetup {
  openDatabase(): Promise<TestDatabase>;
  openBus(): Promise<EventBus>;
  /** How long to wait for an event to get through. */
  deliveryTimeoutMs: number;
}

const logger = pino({ level: "silent" });

/**
 * Outbox → relay → bus → consumer, against whatever database and bus `setup` gives: PGlite and
 * the in-process bus in the unit run, real Postgres and Kafka in the integration run. Topics are
 * shared with earlier runs there, so every test works on its own fresh aggregate ids.
 */
export function describePipeline(name: string, setup: PipelineSetup): void {
  describe(name, { timeout: setup.deliveryTimeoutMs + 15_000 }, () => {
    let database: TestDatabase;
    let bus: EventBus;

    async function openAll(): Promise<void> {
      database = await setup.openDatabase();
      bus = await setup.openBus();
    }

    function relay(over: EventBus = bus) {
      const started = startOutboxRelay({
        db: database.db,
        table: outbox,
        bus: over,
        logger,
        pollIntervalMs: 50,
      });
      onTestFinished(() => started.stop());
      return started;
    }

    async function consumer(handlers: EventHandlers, opts: { maxAttempts?: number } = {}): Promise<Consumer> {
      const started = await startConsumer({
        name: `kit-test-${newId()}`,
        db: database.db,
        inbox,
        bus,
        handlers,
        logger,
        retryDelayMs: 5,
        ...opts,
      });
      onTestFinished(() => started.stop());
      return started;
    }

    function followed(followeeId: string, id = newId()): EventEnvelope {
      const payload = create(UserFollowedSchema, { followerId: newId(), followeeId });
      return {
        id,
        topic: "users",
        type: "FOLLOWED",
        aggregateId: followeeId,
        occurredAt: new Date(),
        payload: toBinary(UserFollowedSchema, payload),
        headers: {},
      };
    }

    const until = (check: () => Promise<void>) =>
      vi.waitFor(check, { timeout: setup.deliveryTimeoutMs, interval: 25 });

    it("opens the database and the bus", async () => {
      await openAll();
      await bus.ping();
    }, 60_000);

    it("relays published events to the consumer once each, in order per aggregate", async () => {
      const [alice, bob] = [newId(), newId()];
      const traceparents = new Set<string | undefined>();
      await consumer({
        users: {
          FOLLOWED: async (tx, payload, event) => {
            if (event.aggregateId === alice) traceparents.add(event.headers.traceparent);
            await countFollowers.users?.FOLLOWED?.(tx, payload, event);
          },
        },
      });
      const started = relay();
      for (let i = 0; i < 4; i++) {
        await database.db.transaction(async (tx) => {
          await publishFollow(tx, newId(), alice);
          await publishFollow(tx, newId(), bob);
          if (i % 2 === 0) await publishFollow(tx, newId(), alice);
        });
        started.kick();
      }
      await until(async () => {
        expect(await followersOf(database.db, alice)).toBe(6);
        expect(await followersOf(database.db, bob)).toBe(4);
      });

      const published = await database.db
        .select({ id: outbox.id, aggregateId: outbox.aggregateId, sentAt: outbox.sentAt })
        .from(outbox)
        .where(inArray(outbox.aggregateId, [alice, bob]))
        .orderBy(outbox.seq);
      expect(published.every((row) => row.sentAt !== null)).toBe(true);
      expect([...traceparents]).toEqual([testTraceparent]);
      const applied = (await appliedOrder(database.db)).filter((e) => e.aggregateId === alice);
      expect(applied.map((e) => e.eventId)).toEqual(
        published.filter((row) => row.aggregateId === alice).map((row) => row.id),
      );
    });

    it("applies a redelivered event only once", async () => {
      const carol = newId();
      await consumer(countFollowers);
      const twice = followed(carol);
      await bus.send([twice]);
      await bus.send([twice, followed(carol)]);
      // The last event is behind both copies on the same key, so once it is applied, so are they.
      await until(async () =>
        expect((await appliedOrder(database.db)).filter((e) => e.aggregateId === carol)).toHaveLength(2),
      );
      expect(await followersOf(database.db, carol)).toBe(2);
    });

    it("rolls back a failed attempt's writes and applies the retry once", async () => {
      const dave = newId();
      let attempts = 0;
      await consumer({
        users: {
          FOLLOWED: async (tx, payload, event) => {
            await countFollowers.users?.FOLLOWED?.(tx, payload, event);
            if (payload.followeeId === dave && ++attempts === 1) throw new Error("flaky");
          },
        },
      });
      await bus.send([followed(dave)]);
      await until(async () => expect(await followersOf(database.db, dave)).toBe(1));
      expect(attempts).toBe(2);
    });

    it("sends an event that keeps failing to <topic>.dlq and moves on", async () => {
      const [erin, frank] = [newId(), newId()];
      let attempts = 0;
      await consumer(
        {
          users: {
            FOLLOWED: async (tx, payload, event) => {
              if (payload.followeeId === erin) {
                attempts++;
                throw new Error(`cannot follow ${erin}`);
              }
              await countFollowers.users?.FOLLOWED?.(tx, payload, event);
            },
          },
        },
        { maxAttempts: 3 },
      );
      const dead: EventEnvelope[] = [];
      const watcher = await bus.subscribe({
        group: `kit-test-dlq-${newId()}`,
        topics: ["users.dlq"],
        handle: async (event) => void (event.aggregateId === erin && dead.push(event)),
      });
      onTestFinished(() => watcher.close());

      const poison = followed(erin);
      await bus.send([poison, followed(frank)]);
      await until(async () => expect(await followersOf(database.db, frank)).toBe(1));
      await until(async () => expect(dead).toHaveLength(1));
      expect(attempts).toBe(3);
      expect(dead[0]?.id).toBe(poison.id);
      expect(dead[0]?.payload).toEqual(poison.payload);
      expect(dead[0]?.headers.error).toBe(`cannot follow ${erin}`);
      expect(dead[0]?.headers["failed-consumer"]).toMatch(/^kit-test-/);
      expect(await followersOf(database.db, erin)).toBe(0);
    });

    it("skips event types it does not know (forward compatible)", async () => {
      const gina = newId();
      await consumer(countFollowers);
      await bus.send([{ ...followed(gina), type: "REPOSTED" }, followed(gina)]);
      await until(async () => expect(await followersOf(database.db, gina)).toBe(1));
    });

    it("keeps outbox rows while the bus is down and delivers them when it is back", async () => {
      const hank = newId();
      let down = true;
      let refused = 0;
      const flaky: EventBus = {
        ...bus,
        async send(events) {
          if (down) {
            refused++;
            throw new Error("broker unavailable");
          }
          await bus.send(events);
        },
      };
      await consumer(countFollowers);
      const started = relay(flaky);
      for (let i = 0; i < 3; i++) await publishFollow(database.db, newId(), hank);
      started.kick();
      await until(async () => expect(refused).toBeGreaterThanOrEqual(2));
      const waiting = await database.db
        .select({ id: outbox.id })
        .from(outbox)
        .where(eq(outbox.aggregateId, hank));
      const unsent = await database.db.select({ id: outbox.id }).from(outbox).where(isNull(outbox.sentAt));
      expect(waiting).toHaveLength(3);
      expect(unsent.map((row) => row.id)).toEqual(expect.arrayContaining(waiting.map((row) => row.id)));
      expect(await followersOf(database.db, hank)).toBe(0);

      down = false;
      await until(async () => expect(await followersOf(database.db, hank)).toBe(3));
    });

    it("never relays a publish whose transaction rolled back", async () => {
      const [ivan, judy] = [newId(), newId()];
      await consumer(countFollowers);
      relay();
      await expect(
        database.db.transaction(async (tx) => {
          await publishFollow(tx, newId(), ivan);
          throw new Error("business rule failed");
        }),
      ).rejects.toThrow("business rule failed");
      await publishFollow(database.db, newId(), judy);
      await until(async () => expect(await followersOf(database.db, judy)).toBe(1));
      expect(await followersOf(database.db, ivan)).toBe(0);
      expect(await database.db.select().from(outbox).where(eq(outbox.aggregateId, ivan))).toEqual([]);
    });

    it("sends each event once even with two relays on one schema", async () => {
      const kate = newId();
      const sent: string[] = [];
      const counting: EventBus = {
        ...bus,
        async send(events) {
          await bus.send(events);
          sent.push(...events.filter((e) => e.aggregateId === kate).map((e) => e.id));
        },
      };
      await consumer(countFollowers);
      const [one, two] = [relay(counting), relay(counting)];
      for (let i = 0; i < 10; i++) {
        await publishFollow(database.db, newId(), kate);
        one.kick();
        two.kick();
      }
      await until(async () => expect(await followersOf(database.db, kate)).toBe(10));
      expect(sent).toHaveLength(10);
      expect(new Set(sent).size).toBe(10);
    });

    it("deletes sent rows once they are older than a day, and only those", async () => {
      const [old, recent, unsent] = [newId(), newId(), newId()];
      for (const aggregateId of [old, recent, unsent]) await publishFollow(database.db, newId(), aggregateId);
      const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
      await database.db
        .update(outbox)
        .set({ sentAt: hoursAgo(25) })
        .where(eq(outbox.aggregateId, old));
      await database.db
        .update(outbox)
        .set({ sentAt: hoursAgo(23) })
        .where(eq(outbox.aggregateId, recent));
      const down: EventBus = { ...bus, send: async () => Promise.reject(new Error("down")) };
      const started = startOutboxRelay({
        db: database.db,
        table: outbox,
        bus: down,
        logger,
        pollIntervalMs: 20,
        cleanupIntervalMs: 0,
      });
      onTestFinished(() => started.stop());
      const remaining = async (aggregateId: string) =>
        (await database.db.select().from(outbox).where(eq(outbox.aggregateId, aggregateId))).length;
      await until(async () => expect(await remaining(old)).toBe(0));
      expect(await remaining(recent)).toBe(1);
      expect(await remaining(unsent)).toBe(1);
    });

    it("closes the bus and the database", async () => {
      await bus.close();
      await database.close();
    }, 30_000);
  });
}

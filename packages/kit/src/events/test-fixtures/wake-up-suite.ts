import { sql } from "drizzle-orm";
import pino from "pino";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { newId } from "../../db/ids.ts";
import { notificationsOf } from "../../db/notifications.ts";
import { outboxChannel } from "../../db/outbox-table.ts";
import { startConsumer } from "../consumer.ts";
import type { EventBus, EventHandlers } from "../index.ts";
import { type OutboxRelayOptions, startOutboxRelay } from "../outbox-relay.ts";
import type { TestDatabase } from "./database.ts";
import { countFollowers, followersOf, publishFollow } from "./follows.ts";
import { inbox, outbox } from "./schema.ts";

export interface WakeUpSetup {
  openDatabase(): Promise<TestDatabase>;
  openBus(): Promise<EventBus>;
}

const logger = pino({ level: "silent" });
/** Far beyond any test: whatever is delivered was woken by a NOTIFY, not found by a poll. */
const NEVER_MS = 60_000;
/** What "at once" means on a busy 2-core machine; still 60× below the poll interval. */
const AT_ONCE_MS = 1_000;

/**
 * The relay wakes on the commit of a publish (LISTEN/NOTIFY), whoever published: no kick, and
 * poll intervals of a minute.
 */
export function describeWakeUp(name: string, setup: WakeUpSetup): void {
  describe(name, { timeout: 30_000 }, () => {
    let database: TestDatabase;
    let bus: EventBus;

    function relay(opts: Partial<OutboxRelayOptions> = {}) {
      const started = startOutboxRelay({
        db: database.db,
        table: outbox,
        bus,
        logger,
        pollIntervalMs: NEVER_MS,
        fallbackPollIntervalMs: NEVER_MS,
        ...opts,
      });
      onTestFinished(() => started.stop());
      return started;
    }

    async function consumer(handlers: EventHandlers): Promise<void> {
      const started = await startConsumer({
        name: `kit-wake-${newId()}`,
        db: database.db,
        inbox,
        bus,
        handlers,
        logger,
      });
      onTestFinished(() => started.stop());
    }

    /** ms until `userId` has `followers`. */
    async function timeUntilFollowers(userId: string, followers: number, since: number): Promise<number> {
      await vi.waitFor(async () => expect(await followersOf(database.db, userId)).toBe(followers), {
        timeout: 10_000,
        interval: 5,
      });
      return performance.now() - since;
    }

    it("opens the database and the bus", async () => {
      database = await setup.openDatabase();
      bus = await setup.openBus();
    }, 60_000);

    it("delivers an event committed by a use case at once, without a kick", async () => {
      const [warm, lena] = [newId(), newId()];
      await consumer(countFollowers);
      relay();
      // The first delivery may wait for the relay's LISTEN (then its catch-up look) or the bus.
      await publishFollow(database.db, newId(), warm);
      await timeUntilFollowers(warm, 1, performance.now());

      const committed = await database.db.transaction(async (tx) => {
        await publishFollow(tx, newId(), lena);
        await publishFollow(tx, newId(), lena);
        return () => performance.now();
      });
      const since = committed();
      expect(await timeUntilFollowers(lena, 2, since)).toBeLessThan(AT_ONCE_MS);
    });

    it("delivers what a handler published in the consumer's transaction at once (a cascade hop)", async () => {
      const [warm, mona, nick] = [newId(), newId(), newId()];
      await consumer({
        users: {
          FOLLOWED: async (tx, payload, event) => {
            await countFollowers.users?.FOLLOWED?.(tx, payload, event);
            // mona's follower follows nick too: published inside this consumer transaction.
            if (payload.followeeId === mona) await publishFollow(tx, payload.followerId, nick);
          },
        },
      });
      relay();
      await publishFollow(database.db, newId(), warm);
      await timeUntilFollowers(warm, 1, performance.now());

      const since = performance.now();
      await publishFollow(database.db, newId(), mona);
      expect(await timeUntilFollowers(nick, 1, since)).toBeLessThan(2 * AT_ONCE_MS);
    });

    it("notifies the outbox's channel on commit only, never for a rolled-back publish", async () => {
      const notifications = notificationsOf(database.db);
      expect(notifications).toBeDefined();
      let heard = 0;
      let live = false;
      const unlisten = await notifications?.listen(outboxChannel(outbox), {
        notified: () => heard++,
        listening: (now) => {
          live = now;
        },
      });
      onTestFinished(() => unlisten?.());
      await vi.waitFor(() => expect(live).toBe(true));

      await expect(
        database.db.transaction(async (tx) => {
          await publishFollow(tx, newId(), newId());
          throw new Error("business rule failed");
        }),
      ).rejects.toThrow("business rule failed");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard).toBe(0);

      await database.db.transaction(async (tx) => {
        await publishFollow(tx, newId(), newId());
        await publishFollow(tx, newId(), newId());
        // Not before the commit.
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(heard).toBe(0);
      });
      await vi.waitFor(() => expect(heard).toBe(1));
    });

    it("tells every listener of a channel that LISTEN is in place, also several starting together", async () => {
      const notifications = notificationsOf(database.db);
      const channel = `kit_wake_${newId().replace(/-/g, "")}`;
      const live = [false, false, false];
      const heard = [0, 0, 0];
      const unlistens = await Promise.all(
        live.map((_, index) =>
          notifications?.listen(channel, {
            notified: () => {
              heard[index] = (heard[index] ?? 0) + 1;
            },
            listening: (now) => {
              live[index] = now;
            },
          }),
        ),
      );
      onTestFinished(() => Promise.all(unlistens.map((unlisten) => unlisten?.())).then(() => undefined));
      await vi.waitFor(() => expect(live).toEqual([true, true, true]));
      await database.db.execute(sql`select pg_notify(${channel}, '')`);
      await vi.waitFor(() => expect(heard).toEqual([1, 1, 1]));
    });

    it("still delivers by polling when nothing can wake it", async () => {
      const olga = newId();
      await consumer(countFollowers);
      relay({ notifications: false, pollIntervalMs: 50 });
      await publishFollow(database.db, newId(), olga);
      await timeUntilFollowers(olga, 1, performance.now());
    });

    it("closes the bus and the database", async () => {
      await bus.close();
      await database.close();
    }, 30_000);
  });
}

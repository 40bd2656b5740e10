import { Code } from "@connectrpc/connect";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { callEndedIn } from "../../errors/call-ended.ts";
import { startConsumer } from "../../events/consumer.ts";
import { createInProcessBus } from "../../events/in-process-bus.ts";
import { startOutboxRelay } from "../../events/outbox-relay.ts";
import type { TestDatabase } from "../../events/test-fixtures/database.ts";
import { countFollowers, followersOf, publishFollow } from "../../events/test-fixtures/follows.ts";
import { appliedEvents, followerCounts, inbox, outbox } from "../../events/test-fixtures/schema.ts";
import { silentLogger } from "../../log/logger.ts";
import { newId } from "../ids.ts";
import { inTransaction } from "../transaction.ts";
import type { Database } from "../types.ts";
import { ended, serveCalls, sleep } from "./incoming-calls.ts";

/** The code of the callEnded error that `work` failed with; "done" when it did not fail. */
async function endingOf(work: Promise<unknown>): Promise<Code | "done" | "other"> {
  return work.then(
    () => "done" as const,
    (error: unknown) => callEndedIn(error)?.code ?? ("other" as const),
  );
}

async function appliedFor(db: Database, aggregateId: string): Promise<number> {
  return (await db.select().from(appliedEvents).where(eq(appliedEvents.aggregateId, aggregateId))).length;
}

/**
 * Work done for an incoming call stops at the call's end, on whichever database `open` gives:
 * PGlite in the unit run, real PostgreSQL in the integration run.
 */
export function describeCallerDeadline(name: string, open: () => Promise<TestDatabase>): void {
  let database: TestDatabase;
  describe(name, () => {
    beforeAll(async () => {
      database = await open();
    }, 60_000);
    afterAll(() => database.close());

    it("a deadline passing after the last statement: no COMMIT, answered DeadlineExceeded", async () => {
      const user = newId();
      const server = await serveCalls(async () => {
        await database.db.transaction(async (tx) => {
          await tx.insert(followerCounts).values({ userId: user, followers: 1 });
          await sleep(400); // the 150 ms deadline passes here; the commit would come after it
        });
      });
      onTestFinished(() => server.close());
      expect(await server.call({ deadlineMs: 150 })).toBe(Code.DeadlineExceeded);
      expect(await server.answered()).toBe(Code.DeadlineExceeded);
      expect(await followersOf(database.db, user)).toBe(0);
    });

    it("a deadline passing mid-transaction: the next statement is refused, nothing commits", async () => {
      const user = newId();
      let after: Code | "done" | "other" | undefined;
      const server = await serveCalls(async () => {
        await database.db.transaction(async (tx) => {
          await tx.insert(followerCounts).values({ userId: user, followers: 1 });
          await sleep(400);
          after = await endingOf(
            tx.insert(appliedEvents).values({ eventId: newId(), aggregateId: user, type: "X" }),
          );
          await tx.update(followerCounts).set({ followers: 2 }).where(eq(followerCounts.userId, user));
        });
      });
      onTestFinished(() => server.close());
      expect(await server.call({ deadlineMs: 150 })).toBe(Code.DeadlineExceeded);
      expect(await server.answered()).toBe(Code.DeadlineExceeded);
      expect(after).toBe(Code.DeadlineExceeded);
      expect(await followersOf(database.db, user)).toBe(0);
      expect(await appliedFor(database.db, user)).toBe(0);
    });

    it("a call that has ended starts no transaction and sends no statement", async () => {
      const user = newId();
      let begun = false;
      let transaction: Code | "done" | "other" | undefined;
      const server = await serveCalls(async (signal) => {
        await ended(signal);
        transaction = await endingOf(
          database.db.transaction(async (tx) => {
            begun = true;
            await tx.insert(followerCounts).values({ userId: user, followers: 1 });
          }),
        );
        await database.db.insert(followerCounts).values({ userId: user, followers: 5 });
      });
      onTestFinished(() => server.close());
      expect(await server.call({ deadlineMs: 100 })).toBe(Code.DeadlineExceeded);
      expect(await server.answered()).toBe(Code.DeadlineExceeded);
      expect(begun).toBe(false);
      expect(transaction).toBe(Code.DeadlineExceeded);
      expect(await followersOf(database.db, user)).toBe(0);
    });

    it("inTransaction's retries stop with the call", async () => {
      let attempts = 0;
      const server = await serveCalls(async (signal) => {
        await inTransaction(database.db, async () => {
          attempts++;
          await ended(signal);
          throw Object.assign(new Error("could not serialize access"), { code: "40001" });
        });
      });
      onTestFinished(() => server.close());
      expect(await server.call({ deadlineMs: 100 })).toBe(Code.DeadlineExceeded);
      expect(await server.answered()).toBe(Code.DeadlineExceeded);
      expect(attempts).toBe(1);
    });

    it("a caller that goes away: Canceled, nothing commits", async () => {
      const user = newId();
      const server = await serveCalls(async () => {
        await database.db.transaction(async (tx) => {
          await tx.insert(followerCounts).values({ userId: user, followers: 1 });
          await sleep(400);
        });
      });
      onTestFinished(() => server.close());
      expect(await server.call({ signal: AbortSignal.timeout(150) })).toBe(Code.Canceled);
      expect(await server.answered()).toBe(Code.Canceled);
      expect(await followersOf(database.db, user)).toBe(0);
    });

    it("a call within its deadline commits as before", async () => {
      const user = newId();
      const server = await serveCalls(async () => {
        await database.db.transaction(async (tx) => {
          await tx.insert(followerCounts).values({ userId: user, followers: 1 });
        });
        await database.db.update(followerCounts).set({ followers: 3 }).where(eq(followerCounts.userId, user));
      });
      onTestFinished(() => server.close());
      expect(await server.call({ deadlineMs: 5_000 })).toBe("ok");
      expect(await server.answered()).toBe("ok");
      expect(await followersOf(database.db, user)).toBe(3);
    });

    it("work a handler started and did not await goes on after the answer (a kicked background pass)", async () => {
      const user = newId();
      let detached: Promise<void> = Promise.resolve();
      const server = await serveCalls(async () => {
        detached = (async () => {
          await sleep(300); // the call has been answered and its stream closed by now
          await database.db.insert(followerCounts).values({ userId: user, followers: 1 });
          await database.db.transaction(async (tx) => {
            await tx.update(followerCounts).set({ followers: 2 }).where(eq(followerCounts.userId, user));
          });
        })();
        detached.catch(() => {}); // awaited below
      });
      onTestFinished(() => server.close());
      expect(await server.call({ deadlineMs: 5_000 })).toBe("ok");
      expect(await server.answered()).toBe("ok");
      await detached;
      expect(await followersOf(database.db, user)).toBe(2);
    });

    it("a consumer's work is untouched by the end of the call that published its event", async () => {
      const user = newId();
      let callEnded: Promise<void> = new Promise(() => {});
      const bus = createInProcessBus();
      onTestFinished(() => bus.close());
      const consumer = await startConsumer({
        name: `caller-deadline-${newId()}`,
        db: database.db,
        inbox,
        bus,
        logger: silentLogger,
        retryDelayMs: 5,
        handlers: {
          users: {
            FOLLOWED: async (tx, payload, event) => {
              await callEnded; // applied only once the publishing call is over
              await countFollowers.users?.FOLLOWED?.(tx, payload, event);
            },
          },
        },
      });
      onTestFinished(() => consumer.stop());
      const relay = startOutboxRelay({
        db: database.db,
        table: outbox,
        bus,
        logger: silentLogger,
        pollIntervalMs: 50,
      });
      onTestFinished(() => relay.stop());
      const server = await serveCalls(async (signal) => {
        callEnded = ended(signal);
        await database.db.transaction((tx) => publishFollow(tx, newId(), user));
        await ended(signal);
      });
      onTestFinished(() => server.close());
      await server.call({ deadlineMs: 200 });
      await vi.waitFor(async () => expect(await followersOf(database.db, user)).toBe(1), { timeout: 10_000 });
    });
  });
}

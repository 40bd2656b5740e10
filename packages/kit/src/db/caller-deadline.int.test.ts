import { Code } from "@connectrpc/connect";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { openTestDatabase, type TestDatabase } from "../events/test-fixtures/database.ts";
import { followersOf } from "../events/test-fixtures/follows.ts";
import { databaseUrl, required } from "../events/test-fixtures/integration.ts";
import { appliedEvents, followerCounts } from "../events/test-fixtures/schema.ts";
import { newId } from "./ids.ts";
import { createPostgresConnector } from "./postgres-connector.ts";
import { rowsOf } from "./rows.ts";
import { describeCallerDeadline } from "./test-fixtures/caller-deadline-suite.ts";
import { serveCalls, sleep } from "./test-fixtures/incoming-calls.ts";
import type { Executor } from "./types.ts";

const url = () => required(databaseUrl, "TEST_DATABASE_URL");
describeCallerDeadline("work for an incoming call stops at its end (PostgreSQL)", () =>
  openTestDatabase(url()),
);

describe("a statement of a call whose deadline passes (PostgreSQL)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(url());
  });
  afterAll(() => database.close());

  it("blocked on a row lock: cancelled on the server at the deadline, nothing commits", async () => {
    const db = database.db;
    const user = newId();
    await db.insert(followerCounts).values({ userId: user, followers: 1 });
    // Another connection holds the row's lock until the end of the test.
    const holder = postgres(url(), { max: 1, onnotice: () => {} });
    onTestFinished(() => holder.end({ timeout: 5 }));
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holding = holder.begin(async (tx) => {
      await tx`select 1 from kit_test.follower_counts where user_id = ${user} for update`;
      locked();
      await released;
    });
    onTestFinished(async () => {
      release();
      await holding;
    });
    await lockTaken;

    const server = await serveCalls(async () => {
      await db.transaction(async (tx) => {
        await tx.insert(appliedEvents).values({ eventId: newId(), aggregateId: user, type: "X" });
        await tx.update(followerCounts).set({ followers: 2 }).where(eq(followerCounts.userId, user));
      });
    });
    onTestFinished(() => server.close());
    const started = Date.now();
    expect(await server.call({ deadlineMs: 300 })).toBe(Code.DeadlineExceeded);
    expect(await server.answered()).toBe(Code.DeadlineExceeded);
    expect(Date.now() - started).toBeLessThan(1_500); // the lock is still held: only a cancel ends it

    // The blocked UPDATE is gone from the server, not left waiting for the lock.
    await vi.waitFor(
      async () => {
        const [row] = rowsOf(
          await db.execute(
            sql`select count(*)::int as waiting from pg_stat_activity
                where state = 'active' and query like 'update "kit_test"."follower_counts"%'`,
          ),
        );
        expect(row?.waiting).toBe(0);
      },
      { timeout: 2_000, interval: 50 },
    );
    release();
    await holding;
    expect(await followersOf(db, user)).toBe(1);
    expect((await db.select().from(appliedEvents).where(eq(appliedEvents.aggregateId, user))).length).toBe(0);
  });
});

describe("a write of a call waiting for a connection (PostgreSQL)", () => {
  it.each(["statement", "transaction"])(
    "a %s is dropped at the deadline: nothing lands when a connection frees",
    async (kind) => {
      const connector = createPostgresConnector({ url: url(), max: 1 });
      const { db } = await connector.connect();
      onTestFinished(() => connector.close());
      // The pool's one connection is busy for 1.5 s (as when every connection waits on a dead database).
      const busy = db.transaction(async (tx) => {
        await tx.execute(sql`select pg_sleep(1.5)`);
      });
      const user = newId();
      const write = (executor: Executor) =>
        executor.insert(followerCounts).values({ userId: user, followers: 1 });
      const server = await serveCalls(async () => {
        if (kind === "statement") await write(db);
        else await db.transaction(write);
      });
      onTestFinished(() => server.close());
      const started = Date.now();
      expect(await server.call({ deadlineMs: 300 })).toBe(Code.DeadlineExceeded);
      expect(await server.answered()).toBe(Code.DeadlineExceeded);
      expect(Date.now() - started).toBeLessThan(1_000);
      await busy;
      await sleep(200);
      expect(await followersOf(db, user)).toBe(0);
    },
  );
});

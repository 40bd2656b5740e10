import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { asc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/types.ts";
import type { EventHandlers } from "../consumer.ts";
import { createOutbox } from "../outbox.ts";
import { appliedEvents, followerCounts, outbox } from "./schema.ts";

export const testOutbox = createOutbox(outbox);
export const testTraceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

export async function publishFollow(tx: Executor, followerId: string, followeeId: string): Promise<void> {
  await testOutbox.publish(tx, {
    topic: "users",
    type: "FOLLOWED",
    aggregateId: followeeId,
    payload: { followerId, followeeId, followedAt: timestampFromDate(new Date()) },
    headers: { traceparent: testTraceparent },
  });
}

/** Counts a follower per FOLLOWED event: not idempotent by itself, so duplicates would show. */
export const countFollowers: EventHandlers = {
  users: {
    FOLLOWED: async (tx, payload, event) => {
      await tx
        .insert(followerCounts)
        .values({ userId: payload.followeeId, followers: 1 })
        .onConflictDoUpdate({
          target: followerCounts.userId,
          set: { followers: sql`${followerCounts.followers} + 1` },
        });
      await tx
        .insert(appliedEvents)
        .values({ eventId: event.id, aggregateId: event.aggregateId, type: event.type });
    },
  },
};

export async function followersOf(db: Database, userId: string): Promise<number> {
  const [row] = await db.select().from(followerCounts).where(eq(followerCounts.userId, userId));
  return row?.followers ?? 0;
}

export async function appliedOrder(db: Database): Promise<{ eventId: string; aggregateId: string }[]> {
  return db
    .select({ eventId: appliedEvents.eventId, aggregateId: appliedEvents.aggregateId })
    .from(appliedEvents)
    .orderBy(asc(appliedEvents.position));
}

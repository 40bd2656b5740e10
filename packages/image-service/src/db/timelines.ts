import type { Executor } from "@instagram/kit";
import { and, eq, or, sql } from "drizzle-orm";
import { feedFollows, images, timelineEntries } from "./schema/index.ts";

/**
 * The feed's store: the follow read model and the timelines fanned out from it. One rule holds
 * throughout: a reader's timeline has every image newer than the horizon by the reader and by
 * everyone they follow (see domain/feed-horizon.ts for which horizon).
 */

/** A new image: into its owner's timeline and each follower's, in the upload's transaction. */
export async function fanOutImage(
  tx: Executor,
  image: { id: string; ownerId: string; createdAt: Date },
): Promise<void> {
  await tx.execute(sql`
    insert into ${timelineEntries} (user_id, created_at, image_id, owner_id)
    select ${feedFollows.followerId}, ${image.createdAt.toISOString()}::timestamptz, ${image.id}::uuid, ${image.ownerId}::uuid
      from ${feedFollows} where ${feedFollows.followeeId} = ${image.ownerId}::uuid
    union all
    select ${image.ownerId}::uuid, ${image.createdAt.toISOString()}::timestamptz, ${image.id}::uuid, ${image.ownerId}::uuid
    on conflict do nothing`);
}

/** users.FOLLOWED: the edge, and the followee's images since the horizon into the follower's timeline. */
export async function addFollow(
  tx: Executor,
  edge: { followerId: string; followeeId: string; followedAt: Date },
  horizon: Date,
): Promise<void> {
  await tx
    .insert(feedFollows)
    .values({ followerId: edge.followerId, followeeId: edge.followeeId, createdAt: edge.followedAt })
    .onConflictDoNothing();
  await tx.execute(sql`
    insert into ${timelineEntries} (user_id, created_at, image_id, owner_id)
    select ${edge.followerId}::uuid, ${images.createdAt}, ${images.id}, ${images.ownerId}
      from ${images}
     where ${images.ownerId} = ${edge.followeeId}::uuid and ${images.createdAt} >= ${horizon.toISOString()}::timestamptz
    on conflict do nothing`);
}

/** users.UNFOLLOWED: the edge, and the followee's images out of the follower's timeline. */
export async function removeFollow(
  tx: Executor,
  edge: { followerId: string; followeeId: string },
): Promise<void> {
  await tx
    .delete(feedFollows)
    .where(and(eq(feedFollows.followerId, edge.followerId), eq(feedFollows.followeeId, edge.followeeId)));
  await tx
    .delete(timelineEntries)
    .where(and(eq(timelineEntries.userId, edge.followerId), eq(timelineEntries.ownerId, edge.followeeId)));
}

/**
 * users.DELETED: the user's edges both ways and their own timeline. (Their images leave the others'
 * timelines with the images themselves: the entries cascade.)
 */
export async function removeFromFeeds(tx: Executor, userId: string): Promise<void> {
  await tx
    .delete(feedFollows)
    .where(or(eq(feedFollows.followerId, userId), eq(feedFollows.followeeId, userId)));
  await tx.delete(timelineEntries).where(eq(timelineEntries.userId, userId));
}

/** Entries older than `before` (behind every reader's horizon): the timelines' retention. */
export async function trimTimelines(db: Executor, before: Date, batch = 10_000): Promise<number> {
  const gone = await db.execute(sql`
    delete from ${timelineEntries} where ctid = any(array(
      select ctid from ${timelineEntries} where ${timelineEntries.createdAt} < ${before.toISOString()}::timestamptz limit ${batch}))`);
  return affectedRows(gone);
}

/**
 * Every timeline from the follow read model and the images, in bulk (a dataset loaded without
 * events, or a rebuilt read model): the same rule fanOutImage and addFollow keep. Returns the
 * number of entries written.
 */
export async function rebuildTimelines(db: Executor, opts: { horizon: Date }): Promise<number> {
  const since = sql`${opts.horizon.toISOString()}::timestamptz`;
  await db.delete(timelineEntries);
  const written = await db.execute(sql`
    insert into ${timelineEntries} (user_id, created_at, image_id, owner_id)
    select ${feedFollows.followerId}, ${images.createdAt}, ${images.id}, ${images.ownerId}
      from ${images} join ${feedFollows} on ${feedFollows.followeeId} = ${images.ownerId}
     where ${images.createdAt} >= ${since}
    union all
    select ${images.ownerId}, ${images.createdAt}, ${images.id}, ${images.ownerId}
      from ${images} where ${images.createdAt} >= ${since}
    on conflict do nothing`);
  return affectedRows(written);
}

/** Row count of a write, whichever driver ran it (postgres-js: `count`; PGlite: `affectedRows`). */
function affectedRows(result: unknown): number {
  const { count, affectedRows: affected } = result as { count?: number; affectedRows?: number };
  return count ?? affected ?? 0;
}

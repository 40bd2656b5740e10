import type { Executor } from "@instagram/kit";
import { and, eq, sql } from "drizzle-orm";
import { feedFollows, images, owners, timelineEntries } from "./schema/index.ts";

/**
 * The feed's store: the follow read model, followers counts, and the timelines fanned out from
 * them. Every writer here keeps one rule (domain/feed-policy.ts, isFannedOut): a reader's
 * timeline holds every image newer than the horizon by the reader and by everyone they follow,
 * except images made after their owner stopped being fanned out.
 */

/** A new image into its owner's timeline and, unless `ownerOnly`, into each follower's. */
export async function fanOutImage(
  tx: Executor,
  image: { id: string; ownerId: string; createdAt: Date },
  opts: { ownerOnly: boolean },
): Promise<void> {
  const at = sql`${image.createdAt.toISOString()}::timestamptz`;
  const followers = opts.ownerOnly
    ? sql``
    : sql`select ${feedFollows.followerId}, ${at}, ${image.id}::uuid, ${image.ownerId}::uuid
            from ${feedFollows} where ${feedFollows.followeeId} = ${image.ownerId}::uuid union all `;
  await tx.execute(sql`
    insert into ${timelineEntries} (user_id, created_at, image_id, owner_id)
    ${followers}select ${image.ownerId}::uuid, ${at}, ${image.id}::uuid, ${image.ownerId}::uuid
    on conflict do nothing`);
}

/** Adds the edge; whether it is new. */
export async function insertFollowEdge(
  tx: Executor,
  edge: { followerId: string; followeeId: string; followedAt: Date },
): Promise<boolean> {
  const added = await tx
    .insert(feedFollows)
    .values({ followerId: edge.followerId, followeeId: edge.followeeId, createdAt: edge.followedAt })
    .onConflictDoNothing()
    .returning({ followerId: feedFollows.followerId });
  return added.length > 0;
}

/** Removes the edge; whether it was there. */
export async function deleteFollowEdge(
  tx: Executor,
  edge: { followerId: string; followeeId: string },
): Promise<boolean> {
  const removed = await tx
    .delete(feedFollows)
    .where(and(eq(feedFollows.followerId, edge.followerId), eq(feedFollows.followeeId, edge.followeeId)))
    .returning({ followerId: feedFollows.followerId });
  return removed.length > 0;
}

/**
 * One follower more (or less) for `followeeId`. Past `fanOutLimit` followers the account stops
 * being fanned out on write from now on, for good (a count hovering around the limit must not
 * make its images come and go). Returns since when it is no longer fanned out, if it is not.
 */
export async function countFollower(
  tx: Executor,
  followeeId: string,
  delta: 1 | -1,
  fanOutLimit: number,
): Promise<Date | null> {
  const [row] = await tx
    .update(owners)
    .set({
      followersCount: sql`greatest(${owners.followersCount} + ${delta}, 0)`,
      fanOutStoppedAt: sql`case when ${owners.fanOutStoppedAt} is null and ${owners.followersCount} + ${delta} > ${fanOutLimit}
                                then now() else ${owners.fanOutStoppedAt} end`,
    })
    .where(eq(owners.userId, followeeId))
    .returning({ fanOutStoppedAt: owners.fanOutStoppedAt });
  return row?.fanOutStoppedAt ?? null;
}

/** The followee's fanned-out images since `since` into the follower's timeline. */
export async function backfillTimeline(
  tx: Executor,
  edge: { followerId: string; followeeId: string },
  since: Date,
  fanOutStoppedAt: Date | null,
): Promise<void> {
  const until =
    fanOutStoppedAt === null
      ? sql``
      : sql` and ${images.createdAt} <= ${fanOutStoppedAt.toISOString()}::timestamptz`;
  await tx.execute(sql`
    insert into ${timelineEntries} (user_id, created_at, image_id, owner_id)
    select ${edge.followerId}::uuid, ${images.createdAt}, ${images.id}, ${images.ownerId}
      from ${images}
     where ${images.ownerId} = ${edge.followeeId}::uuid and ${images.createdAt} >= ${since.toISOString()}::timestamptz${until}
    on conflict do nothing`);
}

/** The followee's images out of the follower's timeline. */
export async function clearTimelineOf(
  tx: Executor,
  edge: { followerId: string; followeeId: string },
): Promise<void> {
  await tx
    .delete(timelineEntries)
    .where(and(eq(timelineEntries.userId, edge.followerId), eq(timelineEntries.ownerId, edge.followeeId)));
}

/**
 * users.DELETED: the user's edges both ways (their followees' counts drop) and their own
 * timeline. Their images leave the others' timelines with the images themselves (cascade).
 */
export async function removeFromFeeds(tx: Executor, userId: string): Promise<void> {
  await tx.execute(sql`
    with gone as (delete from ${feedFollows} where ${feedFollows.followerId} = ${userId}::uuid
                  returning ${feedFollows.followeeId} as followee_id)
    update ${owners} set followers_count = greatest(${owners.followersCount} - 1, 0)
      from gone where ${owners.userId} = gone.followee_id`);
  await tx.delete(feedFollows).where(eq(feedFollows.followeeId, userId));
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
 * The feed's read model rebuilt in bulk from the follow edges and the images (a dataset loaded
 * without events, or a repaired store): followers counts, fan-out stopped (as of `horizon`) for
 * accounts past `fanOutLimit` that had not stopped yet, and every timeline by the rule above.
 * Returns the number of timeline entries written.
 */
export async function rebuildTimelines(
  db: Executor,
  opts: { horizon: Date; fanOutLimit?: number },
): Promise<number> {
  const since = sql`${opts.horizon.toISOString()}::timestamptz`;
  const limit = opts.fanOutLimit ?? 1000;
  await db.execute(sql`
    update ${owners} o set followers_count = counted.n,
           fan_out_stopped_at = case when o.fan_out_stopped_at is null and counted.n > ${limit}
                                     then ${since} else o.fan_out_stopped_at end
      from (select everyone.user_id, coalesce(edges.n, 0) as n
              from ${owners} everyone
              left join (select followee_id, count(*)::int as n from ${feedFollows} group by followee_id) edges
                on edges.followee_id = everyone.user_id) counted
     where counted.user_id = o.user_id`);
  await db.delete(timelineEntries);
  const written = await db.execute(sql`
    with fanned as (
      select i.id, i.owner_id, i.created_at from ${images} i
        join ${owners} o on o.user_id = i.owner_id
       where i.created_at >= ${since} and (o.fan_out_stopped_at is null or i.created_at <= o.fan_out_stopped_at))
    insert into ${timelineEntries} (user_id, created_at, image_id, owner_id)
    select f.follower_id, fanned.created_at, fanned.id, fanned.owner_id
      from fanned join ${feedFollows} f on f.followee_id = fanned.owner_id
    union all
    select i.owner_id, i.created_at, i.id, i.owner_id from ${images} i where i.created_at >= ${since}
    on conflict do nothing`);
  return affectedRows(written);
}

/** Row count of a write, whichever driver ran it (postgres-js: `count`; PGlite: `affectedRows`). */
function affectedRows(result: unknown): number {
  const { count, affectedRows: affected } = result as { count?: number; affectedRows?: number };
  return count ?? affected ?? 0;
}

import type { Executor } from "@instagram/kit";
import { eq, isNull, sql } from "drizzle-orm";
import { owners } from "../db/schema/index.ts";
import { accountGone } from "../domain/errors.ts";

/**
 * Before a user adds anything (an image, a like): refuse a user already seen deleted, and hold a
 * share lock on their owners row until commit, so the users.DELETED handler (which updates that
 * row first) either runs wholly before — and we refuse — or wholly after, and removes what we add.
 */
export async function holdActiveUser(
  tx: Executor,
  userId: string,
): Promise<{ username: string; fanOutStoppedAt: Date | null }> {
  await tx.insert(owners).values({ userId, username: "" }).onConflictDoNothing();
  const [row] = await tx
    .select({
      username: owners.username,
      deletedAt: owners.deletedAt,
      fanOutStoppedAt: owners.fanOutStoppedAt,
    })
    .from(owners)
    .where(eq(owners.userId, userId))
    .for("share");
  if (row === undefined || row.deletedAt !== null) throw accountGone();
  return { username: row.username, fanOutStoppedAt: row.fanOutStoppedAt };
}

/** users.CREATED / users.UPDATED: remember the name; a tombstone stays a tombstone. */
export async function rememberUsername(tx: Executor, userId: string, username: string): Promise<void> {
  await tx
    .insert(owners)
    .values({ userId, username })
    .onConflictDoUpdate({ target: owners.userId, set: { username }, setWhere: isNull(owners.deletedAt) });
}

/** users.DELETED: the tombstone (taking the row lock that holdActiveUser waits on). */
export async function buryOwner(tx: Executor, userId: string, username: string): Promise<void> {
  await tx
    .insert(owners)
    .values({ userId, username, deletedAt: new Date() })
    .onConflictDoUpdate({
      target: owners.userId,
      set: { deletedAt: sql`coalesce(${owners.deletedAt}, now())`, username: sql`excluded.username` },
    });
}

/**
 * Before a follow edge changes the follower's timeline: lock the followee's row against their
 * uploads (which hold it in share mode while fanning out), so an image is either fanned out to
 * the new edge or backfilled by it — never missed, never left behind after an unfollow. Answers
 * whether either side is already known as deleted.
 */
export async function lockFollowPair(
  tx: Executor,
  edge: { followerId: string; followeeId: string },
): Promise<{ eitherDeleted: boolean }> {
  await tx.insert(owners).values({ userId: edge.followeeId, username: "" }).onConflictDoNothing();
  const [followee] = await tx
    .select({ deletedAt: owners.deletedAt })
    .from(owners)
    .where(eq(owners.userId, edge.followeeId))
    .for("update");
  const [follower] = await tx
    .select({ deletedAt: owners.deletedAt })
    .from(owners)
    .where(eq(owners.userId, edge.followerId));
  return { eitherDeleted: followee?.deletedAt != null || follower?.deletedAt != null };
}

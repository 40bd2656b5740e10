import type { Executor } from "@instagram/kit";
import { eq, isNull, sql } from "drizzle-orm";
import { owners } from "./schema/index.ts";

// The owners read model (users.CREATED / UPDATED / DELETED as seen by image-service).

export interface OwnerRow {
  username: string;
  deletedAt: Date | null;
  fanOutStoppedAt: Date | null;
}

/**
 * The user's owners row, created empty if unknown, under a share lock held until commit: the
 * users.DELETED handler (which updates that row first) runs wholly before or wholly after.
 */
export async function holdOwner(tx: Executor, userId: string): Promise<OwnerRow | undefined> {
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
  return row;
}

/** Remembers the name; a tombstone stays a tombstone. */
export async function rememberUsername(tx: Executor, userId: string, username: string): Promise<void> {
  await tx
    .insert(owners)
    .values({ userId, username })
    .onConflictDoUpdate({ target: owners.userId, set: { username }, setWhere: isNull(owners.deletedAt) });
}

/** The tombstone (taking the row lock that holdOwner waits on). */
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
 * Locks the followee's row against their uploads (which hold it in share mode while fanning out)
 * and answers whether either side is already known as deleted.
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

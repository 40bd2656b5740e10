import type { Executor } from "@instagram/kit";
import { eq, isNull, sql } from "drizzle-orm";
import { authors } from "./schema/index.ts";

/**
 * users.CREATED / UPDATED, or the username claim of a commenter's token: records the username
 * of a living user; a tombstone stays one. An empty username never overwrites a known one.
 */
export async function rememberAuthor(db: Executor, userId: string, username: string): Promise<void> {
  await db
    .insert(authors)
    .values({ userId, username })
    .onConflictDoUpdate({
      target: authors.userId,
      set: {
        username: sql`case when excluded.username = '' then ${authors.username} else excluded.username end`,
      },
      setWhere: isNull(authors.deletedAt),
    });
}

/**
 * users.DELETED: the user becomes a tombstone. Takes the row's lock, so a comment being written
 * by them commits first and is then seen by the caller's delete of their comments.
 */
export async function buryAuthor(db: Executor, userId: string, at: Date): Promise<void> {
  await db
    .insert(authors)
    .values({ userId, deletedAt: at })
    .onConflictDoUpdate({
      target: authors.userId,
      set: { deletedAt: sql`coalesce(${authors.deletedAt}, excluded.deleted_at)` },
    });
}

/**
 * The user, if they may still write (undefined once deleted). Takes a share lock on their row, so a concurrent
 * users.DELETED waits for the comment being written, or the comment waits for the deletion and
 * sees the tombstone. A user not known yet (users.CREATED on its way) is recorded first, with the
 * username from their token when it has one.
 */
export async function lockLivingAuthor(
  db: Executor,
  userId: string,
  username: string,
): Promise<{ username: string } | undefined> {
  let row = await lockedAuthor(db, userId);
  if (row === undefined) {
    await db.insert(authors).values({ userId, username }).onConflictDoNothing({ target: authors.userId });
    row = await lockedAuthor(db, userId);
  }
  return row === undefined || row.deletedAt !== null ? undefined : { username: row.username };
}

async function lockedAuthor(
  db: Executor,
  userId: string,
): Promise<{ username: string; deletedAt: Date | null } | undefined> {
  const rows = await db
    .select({ username: authors.username, deletedAt: authors.deletedAt })
    .from(authors)
    .where(eq(authors.userId, userId))
    .for("share");
  return rows[0];
}

import { type Executor, type ListPage, type ListPosition, selectListPage } from "@instagram/kit";
import { and, eq } from "drizzle-orm";
import { likes } from "./schema/index.ts";

/** Inserts the like unless it exists; answers whether it did. A missing image violates the foreign key. */
export async function insertLike(tx: Executor, like: { imageId: string; userId: string }): Promise<boolean> {
  const inserted = await tx
    .insert(likes)
    .values({ ...like, createdAt: new Date() })
    .onConflictDoNothing()
    .returning({ userId: likes.userId });
  return inserted.length > 0;
}

/** Deletes the like; answers whether there was one. */
export async function deleteLike(tx: Executor, like: { imageId: string; userId: string }): Promise<boolean> {
  const removed = await tx
    .delete(likes)
    .where(and(eq(likes.imageId, like.imageId), eq(likes.userId, like.userId)))
    .returning({ userId: likes.userId });
  return removed.length > 0;
}

/** Deletes every like of a user; answers the images they were on. */
export async function deleteLikesOf(tx: Executor, userId: string): Promise<string[]> {
  const removed = await tx
    .delete(likes)
    .where(eq(likes.userId, userId))
    .returning({ imageId: likes.imageId });
  return removed.map((like) => like.imageId);
}

/** Who likes an image, newest like first. */
export function listLikes(
  db: Executor,
  opts: { imageId: string; limit: number; after: ListPosition | undefined },
): Promise<ListPage<{ userId: string; createdAt: Date }>> {
  const query = db.select({ userId: likes.userId, createdAt: likes.createdAt }).from(likes).$dynamic();
  return selectListPage(query, {
    createdAt: likes.createdAt,
    id: likes.userId,
    order: "newest-first",
    filter: eq(likes.imageId, opts.imageId),
    after: opts.after,
    limit: opts.limit,
    positionOf: (like) => ({ createdAt: like.createdAt, id: like.userId }),
  });
}

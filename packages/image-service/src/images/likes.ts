import { isForeignKeyViolation, type ListPage, type ListPosition, selectListPage } from "@instagram/kit";
import { and, eq, sql } from "drizzle-orm";
import { images, likes } from "../db/schema/index.ts";
import { imageNotFound } from "../domain/errors.ts";
import type { ImageStore } from "./image-deps.ts";
import { holdActiveUser } from "./owners-model.ts";

/**
 * PUT like: idempotent. The like row and the counter change in one transaction, and the counter
 * moves only when a row was really inserted, so likesCount equals the rows under any concurrency.
 */
export async function likeImage(
  store: ImageStore,
  input: { imageId: string; userId: string },
): Promise<void> {
  const { imageId, userId } = input;
  try {
    await store.db.transaction(async (tx) => {
      await holdActiveUser(tx, userId);
      const inserted = await tx
        .insert(likes)
        .values({ imageId, userId, createdAt: new Date() })
        .onConflictDoNothing()
        .returning({ userId: likes.userId });
      if (inserted.length === 0) {
        // Already liked — but still 404 for an image that is gone.
        const [image] = await tx.select({ id: images.id }).from(images).where(eq(images.id, imageId));
        if (image === undefined) throw imageNotFound();
        return;
      }
      const [image] = await tx
        .update(images)
        .set({ likesCount: sql`${images.likesCount} + 1` })
        .where(eq(images.id, imageId))
        .returning({ ownerId: images.ownerId });
      if (image === undefined) throw imageNotFound();
      await store.outbox.publish(tx, {
        topic: "images",
        type: "LIKED",
        aggregateId: imageId,
        payload: { imageId, userId, ownerId: image.ownerId },
      });
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) throw imageNotFound();
    throw error;
  }
  store.published();
}

/** DELETE like: idempotent; 404 only when the image does not exist. */
export async function unlikeImage(
  store: ImageStore,
  input: { imageId: string; userId: string },
): Promise<void> {
  const { imageId, userId } = input;
  await store.db.transaction(async (tx) => {
    const removed = await tx
      .delete(likes)
      .where(and(eq(likes.imageId, imageId), eq(likes.userId, userId)))
      .returning({ userId: likes.userId });
    if (removed.length === 0) {
      const [image] = await tx.select({ id: images.id }).from(images).where(eq(images.id, imageId));
      if (image === undefined) throw imageNotFound();
      return;
    }
    const [image] = await tx
      .update(images)
      .set({ likesCount: sql`${images.likesCount} - 1` })
      .where(eq(images.id, imageId))
      .returning({ ownerId: images.ownerId });
    if (image === undefined) throw imageNotFound();
    await store.outbox.publish(tx, {
      topic: "images",
      type: "UNLIKED",
      aggregateId: imageId,
      payload: { imageId, userId, ownerId: image.ownerId },
    });
  });
  store.published();
}

/** Who likes an image, newest like first. */
export async function listLikers(
  store: ImageStore,
  input: { imageId: string; limit: number; after: ListPosition | undefined },
): Promise<ListPage<{ userId: string; createdAt: Date }>> {
  const [image] = await store.db.select({ id: images.id }).from(images).where(eq(images.id, input.imageId));
  if (image === undefined) throw imageNotFound();
  const query = store.db.select({ userId: likes.userId, createdAt: likes.createdAt }).from(likes).$dynamic();
  return selectListPage(query, {
    createdAt: likes.createdAt,
    id: likes.userId,
    order: "newest-first",
    filter: eq(likes.imageId, input.imageId),
    after: input.after,
    limit: input.limit,
    positionOf: (like) => ({ createdAt: like.createdAt, id: like.userId }),
  });
}

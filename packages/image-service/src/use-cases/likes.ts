import { isForeignKeyViolation, type ListPage, type ListPosition } from "@instagram/kit";
import { addToLikesCount, imageExists } from "../db/images.ts";
import { deleteLike, insertLike, listLikes } from "../db/likes.ts";
import { imageNotFound } from "../domain/errors.ts";
import type { ImageStore } from "./image-store.ts";
import { holdActiveUser } from "./owners.ts";

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
      if (!(await insertLike(tx, input))) {
        // Already liked — but still 404 for an image that is gone.
        if (!(await imageExists(tx, imageId))) throw imageNotFound();
        return;
      }
      const image = await addToLikesCount(tx, imageId, 1);
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
}

/** DELETE like: idempotent; 404 only when the image does not exist. */
export async function unlikeImage(
  store: ImageStore,
  input: { imageId: string; userId: string },
): Promise<void> {
  const { imageId, userId } = input;
  await store.db.transaction(async (tx) => {
    if (!(await deleteLike(tx, input))) {
      if (!(await imageExists(tx, imageId))) throw imageNotFound();
      return;
    }
    const image = await addToLikesCount(tx, imageId, -1);
    if (image === undefined) throw imageNotFound();
    await store.outbox.publish(tx, {
      topic: "images",
      type: "UNLIKED",
      aggregateId: imageId,
      payload: { imageId, userId, ownerId: image.ownerId },
    });
  });
}

/** Who likes an image, newest like first. */
export async function listLikers(
  store: ImageStore,
  input: { imageId: string; limit: number; after: ListPosition | undefined },
): Promise<ListPage<{ userId: string; createdAt: Date }>> {
  if (!(await imageExists(store.db, input.imageId))) throw imageNotFound();
  return listLikes(store.db, input);
}

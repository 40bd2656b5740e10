import type { Executor, Outbox } from "@instagram/kit";
import { claimForDelete } from "../db/blob-claims.ts";
import { deleteImageRow, deleteImagesOf, dropOneLikeEach, lockImage } from "../db/images.ts";
import { deleteLikesOf } from "../db/likes.ts";
import { buryOwner } from "../db/owners.ts";
import { removeFromFeeds } from "../db/timelines.ts";
import { imageNotFound, notImageOwner } from "../domain/errors.ts";
import type { ImageStore } from "./image-store.ts";

const BATCH = 500;

/** DELETE /v1/images/{id}: the owner only. Files go right after commit (see discardImages). */
export async function deleteImage(
  store: ImageStore,
  input: { imageId: string; callerId: string },
): Promise<void> {
  await store.db.transaction(async (tx) => {
    const row = await lockImage(tx, input.imageId);
    if (row === undefined) throw imageNotFound();
    if (row.ownerId !== input.callerId) throw notImageOwner();
    await deleteImageRow(tx, row.id);
    await discardImages(tx, store.outbox, [row]);
  });
  store.kickReaper();
}

/**
 * users.DELETED, in the consumer's transaction: the tombstone first (taking the owners row lock
 * that uploads and likes hold), then the user's images (their likes, tags and mentions cascade),
 * the user's likes on other people's images, whose counters drop, and their follow edges and
 * timeline. Publishes images.DELETED per image and images.UNLIKED per like.
 */
export async function removeUser(
  tx: Executor,
  outbox: Outbox,
  user: { userId: string; username: string },
): Promise<void> {
  const { userId } = user;
  await buryOwner(tx, userId, user.username);
  await discardImages(tx, outbox, await deleteImagesOf(tx, userId));

  const liked = await deleteLikesOf(tx, userId);
  for (let at = 0; at < liked.length; at += BATCH) {
    // One like per (image, user): each image loses exactly one.
    const dropped = await dropOneLikeEach(tx, liked.slice(at, at + BATCH));
    for (const image of dropped) {
      await outbox.publish(tx, {
        topic: "images",
        type: "UNLIKED",
        aggregateId: image.id,
        payload: { imageId: image.id, userId, ownerId: image.ownerId },
      });
    }
  }
  await removeFromFeeds(tx, userId);
}

/**
 * For image rows just deleted in `tx`: claims their files for the reaper ("delete") and publishes
 * images.DELETED. Files are never removed inside a transaction, so a rollback cannot leave a row
 * whose files are gone; a crash after commit leaves claims the reaper resumes.
 */
async function discardImages(
  tx: Executor,
  outbox: Outbox,
  gone: { id: string; ownerId: string }[],
): Promise<void> {
  for (let at = 0; at < gone.length; at += BATCH) {
    await claimForDelete(
      tx,
      gone.slice(at, at + BATCH).map((image) => image.id),
    );
  }
  for (const image of gone) {
    await outbox.publish(tx, {
      topic: "images",
      type: "DELETED",
      aggregateId: image.id,
      payload: { imageId: image.id, ownerId: image.ownerId },
    });
  }
}

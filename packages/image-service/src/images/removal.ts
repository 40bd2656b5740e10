import type { Executor, Outbox } from "@instagram/kit";
import { eq, inArray, sql } from "drizzle-orm";
import { blobClaims, images, likes } from "../db/schema/index.ts";
import { imageNotFound, notImageOwner } from "../domain/errors.ts";
import type { ImageStore } from "./image-deps.ts";

const BATCH = 500;

/** DELETE /v1/images/{id}: the owner only. Files go right after commit (see discardImages). */
export async function deleteImage(
  store: ImageStore,
  input: { imageId: string; callerId: string },
): Promise<void> {
  await store.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: images.id, ownerId: images.ownerId })
      .from(images)
      .where(eq(images.id, input.imageId))
      .for("update");
    if (row === undefined) throw imageNotFound();
    if (row.ownerId !== input.callerId) throw notImageOwner();
    await tx.delete(images).where(eq(images.id, row.id));
    await discardImages(tx, store.outbox, [row]);
  });
  store.published();
  store.kickReaper();
}

/**
 * users.DELETED, in the consumer's transaction: the user's images (their likes, tags and mentions
 * cascade) and the user's likes on other people's images, whose counters drop. Publishes
 * images.DELETED per image and images.UNLIKED per like. Returns how many images went.
 */
export async function removeUserContent(tx: Executor, outbox: Outbox, userId: string): Promise<number> {
  const own = await tx
    .delete(images)
    .where(eq(images.ownerId, userId))
    .returning({ id: images.id, ownerId: images.ownerId });
  await discardImages(tx, outbox, own);

  const liked = await tx.delete(likes).where(eq(likes.userId, userId)).returning({ imageId: likes.imageId });
  for (let at = 0; at < liked.length; at += BATCH) {
    const ids = liked.slice(at, at + BATCH).map((like) => like.imageId);
    // One like per (image, user): each image loses exactly one.
    const dropped = await tx
      .update(images)
      .set({ likesCount: sql`${images.likesCount} - 1` })
      .where(inArray(images.id, ids))
      .returning({ id: images.id, ownerId: images.ownerId });
    for (const image of dropped) {
      await outbox.publish(tx, {
        topic: "images",
        type: "UNLIKED",
        aggregateId: image.id,
        payload: { imageId: image.id, userId, ownerId: image.ownerId },
      });
    }
  }
  return own.length;
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
    const batch = gone.slice(at, at + BATCH);
    await tx
      .insert(blobClaims)
      .values(batch.map((image) => ({ imageId: image.id, reason: "delete" as const })))
      .onConflictDoUpdate({ target: blobClaims.imageId, set: { reason: "delete" } });
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

import type { Outbox, Transaction } from "@instagram/kit";
import { buryAuthor, rememberAuthor } from "../db/authors.ts";
import { deleteCommentsBy, deleteCommentsOnImagesOf } from "../db/comments.ts";
import { buryImagesOf } from "../db/known-images.ts";

// What the users topic does here, each in the transaction of its event.

/** users.CREATED / UPDATED: the username shown on the user's comments. */
export async function authorNamed(tx: Transaction, userId: string, username: string): Promise<void> {
  await rememberAuthor(tx, userId, username);
}

/**
 * The account-deletion cascade, in the one transaction of the event (with its inbox row): all of
 * it happens or none of it, and a crash midway means the redelivered event does it all again.
 * 1. the user becomes a tombstone: their still-valid token can write no more comments;
 * 2. their images become tombstones and everyone's comments on them go (no events: those images
 *    are being deleted by image-service, whose images.DELETED says as much);
 * 3. their comments on other people's images go, each with a comments.DELETED (key = image id),
 *    so image-service's commentsCount on those images drops.
 */
export async function removeUserComments(
  tx: Transaction,
  outbox: Outbox,
  userId: string,
  at: Date,
): Promise<{ onTheirImages: number; theirs: number }> {
  await buryAuthor(tx, userId, at);
  await buryImagesOf(tx, userId, at);
  const onTheirImages = await deleteCommentsOnImagesOf(tx, userId);
  const theirs = await deleteCommentsBy(tx, userId);
  for (const comment of theirs) {
    await outbox.publish(tx, {
      topic: "comments",
      type: "DELETED",
      aggregateId: comment.imageId,
      payload: { commentId: comment.id, imageId: comment.imageId, authorId: comment.authorId },
    });
  }
  return { onTheirImages, theirs: theirs.length };
}

import { type EventHandler, isUuid } from "@instagram/kit";
import { deleteCommentsOnImage } from "../db/comments.ts";
import { buryImage, rememberImage } from "../db/known-images.ts";

/** images.CREATED → the image can be commented on, and its owner may delete comments on it. */
export function onImageCreated(opts: { now: () => Date }): EventHandler<"images", "CREATED"> {
  return async (tx, image) => {
    if (!isUuid(image.imageId) || !isUuid(image.ownerId)) return; // names nothing we could store
    await rememberImage(tx, image.imageId, image.ownerId, opts.now());
  };
}

/**
 * images.DELETED → tombstone the image (no new comments), then delete every comment on it.
 * No comments.DELETED is published for these: the image and its commentsCount are gone, and
 * images.DELETED already says that all its comments went with it.
 */
export function onImageDeleted(opts: { now: () => Date }): EventHandler<"images", "DELETED"> {
  return async (tx, image) => {
    if (!isUuid(image.imageId)) return;
    await buryImage(tx, image.imageId, isUuid(image.ownerId) ? image.ownerId : undefined, opts.now());
    await deleteCommentsOnImage(tx, image.imageId);
  };
}

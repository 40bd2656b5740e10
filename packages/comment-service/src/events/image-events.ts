import { type EventHandler, isUuid } from "@instagram/kit";
import { imageCreated, imageDeleted } from "../use-cases/known-image.ts";

/** images.CREATED → the image can be commented on, and its owner may delete comments on it. */
export function onImageCreated(opts: { now: () => Date }): EventHandler<"images", "CREATED"> {
  return async (tx, image) => {
    if (!isUuid(image.imageId) || !isUuid(image.ownerId)) return; // names nothing we could store
    await imageCreated(tx, image.imageId, image.ownerId, opts.now());
  };
}

/** images.DELETED → tombstone the image, then delete every comment on it (no comments.DELETED). */
export function onImageDeleted(opts: { now: () => Date }): EventHandler<"images", "DELETED"> {
  return async (tx, image) => {
    if (!isUuid(image.imageId)) return;
    await imageDeleted(tx, image.imageId, isUuid(image.ownerId) ? image.ownerId : undefined, opts.now());
  };
}

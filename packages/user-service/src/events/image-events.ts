import { type EventHandler, isUuid } from "@instagram/kit";
import { forgetImage, recordImage } from "../db/owned-images.ts";
import { addToImagesCount } from "../db/profiles.ts";

/** images.CREATED → the owner's images_count + 1 (once per image, whatever the redelivery). */
export const onImageCreated: EventHandler<"images", "CREATED"> = async (tx, image) => {
  if (!isUuid(image.ownerId)) return; // not one of our users: nothing to count
  if (await recordImage(tx, image.imageId, image.ownerId)) await addToImagesCount(tx, image.ownerId, 1);
};

/** images.DELETED → the owner's images_count − 1, if that image was counted. */
export const onImageDeleted: EventHandler<"images", "DELETED"> = async (tx, image) => {
  const ownerId = await forgetImage(tx, image.imageId);
  if (ownerId !== undefined) await addToImagesCount(tx, ownerId, -1);
};

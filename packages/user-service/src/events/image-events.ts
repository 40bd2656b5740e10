import { type EventHandler, isUuid } from "@instagram/kit";
import { countImage, uncountImage } from "../use-cases/image-counts.ts";

/** images.CREATED → the owner's images_count + 1 (once per image, whatever the redelivery). */
export const onImageCreated: EventHandler<"images", "CREATED"> = async (tx, image) => {
  if (!isUuid(image.ownerId)) return; // not one of our users: nothing to count
  await countImage(tx, image.imageId, image.ownerId);
};

/** images.DELETED → the owner's images_count − 1, if that image was counted. */
export const onImageDeleted: EventHandler<"images", "DELETED"> = async (tx, image) => {
  await uncountImage(tx, image.imageId);
};

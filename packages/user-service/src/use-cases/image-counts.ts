import type { Transaction } from "@instagram/kit";
import { forgetImage, recordImage } from "../db/owned-images.ts";
import { addToImagesCount } from "../db/profiles.ts";

// images_count of profiles, from the images topic (users.owned_images: image id → owner), each in
// the transaction of its event.

/** The owner's images_count + 1, once per image whatever the redelivery. */
export async function countImage(tx: Transaction, imageId: string, ownerId: string): Promise<void> {
  if (await recordImage(tx, imageId, ownerId)) await addToImagesCount(tx, ownerId, 1);
}

/** The owner's images_count − 1, if that image was counted. */
export async function uncountImage(tx: Transaction, imageId: string): Promise<void> {
  const ownerId = await forgetImage(tx, imageId);
  if (ownerId !== undefined) await addToImagesCount(tx, ownerId, -1);
}

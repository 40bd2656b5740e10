import { type Database, type Executor, isUuid, type Logger, type Transaction } from "@instagram/kit";
import { deleteCommentsOnImage } from "../db/comments.ts";
import { buryImage, imageState, rememberImage } from "../db/known-images.ts";
import { imageNotFound, imagesUnavailable } from "../domain/errors.ts";
import type { ImageOwnerLookup } from "../peers/image-owners.ts";

export interface KnownImageDeps {
  db: Database;
  logger: Logger;
  /** Fallback for images the read model does not know yet; absent → such an image is a 404. */
  imageOwners?: ImageOwnerLookup;
  now: () => Date;
}

/**
 * Makes sure the images read model knows `imageId` as a living image, or throws NotFound.
 * When the read model has never heard of it (images.CREATED not applied yet), image-service is
 * asked once, with a deadline, and a positive answer is recorded (a later CREATED is then a
 * no-op, a DELETED buries it as usual). A tombstone is final: no call is made for it.
 */
export async function ensureImageKnown(
  deps: KnownImageDeps,
  imageId: string,
  authorization: string | undefined,
): Promise<void> {
  if (!isUuid(imageId)) throw imageNotFound();
  const state = await imageState(deps.db, imageId);
  if (state !== undefined) {
    if (state.deleted) throw imageNotFound();
    return;
  }
  if (deps.imageOwners === undefined) throw imageNotFound();
  let ownerId: string | undefined;
  try {
    ownerId = (await deps.imageOwners.ownersOf([imageId], authorization)).get(imageId);
  } catch (error) {
    deps.logger.warn({ err: error, imageId }, "image-service did not say whether the image exists");
    throw imagesUnavailable(error);
  }
  if (ownerId === undefined || !isUuid(ownerId)) throw imageNotFound();
  await rememberImage(deps.db, imageId, ownerId, deps.now());
  if ((await imageState(deps.db, imageId))?.deleted !== false) throw imageNotFound();
}

/** Inside the comment's transaction: the image, share-locked, or NotFound if it is (now) a tombstone. */
export async function lockLivingImage(tx: Executor, imageId: string): Promise<{ ownerId: string }> {
  const state = await imageState(tx, imageId, { lock: true });
  if (state === undefined || state.deleted) throw imageNotFound();
  return { ownerId: state.ownerId };
}

/** images.CREATED: the image can be commented on, and its owner may delete comments on it. */
export async function imageCreated(
  tx: Transaction,
  imageId: string,
  ownerId: string,
  at: Date,
): Promise<void> {
  await rememberImage(tx, imageId, ownerId, at);
}

/**
 * images.DELETED: the image becomes a tombstone (no new comments), then every comment on it goes.
 * No comments.DELETED is published for these: the image and its commentsCount are gone, and
 * images.DELETED already says that all its comments went with it.
 */
export async function imageDeleted(
  tx: Transaction,
  imageId: string,
  ownerId: string | undefined,
  at: Date,
): Promise<void> {
  await buryImage(tx, imageId, ownerId, at);
  await deleteCommentsOnImage(tx, imageId);
}

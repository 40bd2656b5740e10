import { normaliseMention } from "@instagram/contracts/text-entities";
import { isUuid, type ListPage, type ListPosition } from "@instagram/kit";
import {
  findImageRecord,
  isDeletedOwner,
  listImagesOfUsername,
  listMentionImages,
  listOwnerImages,
  listTagImages,
  ownersOfImages,
} from "../db/image-records.ts";
import { normaliseTag, normaliseUsername } from "../domain/caption.ts";
import { badRequest, imageNotFound, userNotFound } from "../domain/errors.ts";
import type { ImageRecord } from "../domain/image-record.ts";
import type { ImageStore } from "./image-store.ts";

// Reading images as a viewer sees them (likedByMe is about `viewerId`, when there is one).

type Page = { viewerId: string | undefined; limit: number; after: ListPosition | undefined };

const MAX_BATCH_IDS = 500;

export async function viewImage(
  store: ImageStore,
  input: { imageId: string; viewerId: string | undefined },
): Promise<ImageRecord> {
  const record = await findImageRecord(store.db, input.imageId, input.viewerId);
  if (record === undefined) throw imageNotFound();
  return record;
}

/**
 * A user's images, newest first. `user` is a user id, or (for a gateway without a lookup of its
 * own) a username, resolved through the owners read model.
 */
export async function listUserImages(
  store: ImageStore,
  input: Page & { user: string },
): Promise<ListPage<ImageRecord>> {
  const { user, ...page } = input;
  if (!isUuid(user)) {
    if (normaliseMention(user) === undefined) throw badRequest("user_id must be a user id or a username");
    const listed = await listImagesOfUsername(store.db, { username: normaliseUsername(user), ...page });
    if (listed === undefined) throw userNotFound();
    return listed;
  }
  if (await isDeletedOwner(store.db, user)) throw userNotFound();
  return listOwnerImages(store.db, { ownerId: user, ...page });
}

/** Images tagged `#tag` (as a client writes it), newest first. */
export function listTaggedImages(
  store: ImageStore,
  input: Page & { tag: string },
): Promise<ListPage<ImageRecord>> {
  const { tag, ...page } = input;
  return listTagImages(store.db, { tag: normaliseTag(tag), ...page });
}

/** Images mentioning `@username`; an unknown name gives an empty page (user-service knows who exists). */
export function listMentioningImages(
  store: ImageStore,
  input: Page & { username: string },
): Promise<ListPage<ImageRecord>> {
  const { username, ...page } = input;
  return listMentionImages(store.db, { username: normaliseUsername(username), ...page });
}

/** The owners of the images that exist among `ids` (anything not a UUID names no image). */
export function ownersOf(
  store: ImageStore,
  ids: readonly string[],
): Promise<{ imageId: string; ownerId: string }[]> {
  if (ids.length > MAX_BATCH_IDS) {
    throw badRequest(`at most ${MAX_BATCH_IDS} ids per call`);
  }
  return ownersOfImages(store.db, [...new Set(ids.filter(isUuid))]);
}

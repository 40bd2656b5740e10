import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { IDEMPOTENCY_KEY_RETENTION_MS, idempotencyKeyReused, isUniqueViolation, newId } from "@instagram/kit";
import { claimUpload, releaseClaim } from "../db/blob-claims.ts";
import { findImageRecord } from "../db/image-records.ts";
import { findImageByKey, forgetImageKeyBefore, imageExists, insertImage } from "../db/images.ts";
import { fanOutImage } from "../db/timelines.ts";
import type { CaptionFacts } from "../domain/caption.ts";
import { isFannedOut } from "../domain/feed-policy.ts";
import type { ImageRecord } from "../domain/image-record.ts";
import { blobKeyOf, renditions } from "../domain/renditions.ts";
import type { ReceivedImage } from "../processing/image-processor.ts";
import type { ImageStore } from "./image-store.ts";
import { holdActiveUser } from "./owners.ts";

/**
 * Stores a received upload. Crash ordering:
 * 1. a claim row ("upload") is committed for the new id;
 * 2. both renditions are written to the blob store (each atomically: scratch file + rename);
 * 3. one transaction inserts the image, its tags and mentions, its timeline entries (the owner's
 *    and every follower's feed), deletes the claim and publishes images.CREATED.
 * A crash before 3 commits leaves files without a row but with a claim: the blob reaper removes
 * them once the claim is older than its grace period. A row never exists without its files.
 * With an idempotency key, a retry (same owner, key, caption and image shape) within the retention
 * returns the image the first upload made; the same key with another upload is a conflict.
 */
/** What an upload asks for: whose, with which caption, the decoded image, and its retry key. */
export interface UploadInput {
  ownerId: string;
  caption: CaptionFacts;
  image: ReceivedImage;
  idempotencyKey?: string | undefined;
}

export async function storeUpload(store: ImageStore, input: UploadInput): Promise<ImageRecord> {
  const { idempotencyKey } = input;
  if (idempotencyKey === undefined) return storeNewUpload(store, input);
  const earlier = await earlierUpload(store, input, idempotencyKey);
  if (earlier !== undefined) return earlier;
  try {
    return await storeNewUpload(store, input);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A concurrent upload with the same key committed first: answer with its image.
    const winner = await earlierUpload(store, input, idempotencyKey);
    if (winner === undefined) throw error;
    return winner;
  }
}

/** The image an earlier upload with this key made (within the retention), if this is its retry. */
async function earlierUpload(
  store: ImageStore,
  input: UploadInput,
  idempotencyKey: string,
): Promise<ImageRecord | undefined> {
  const { ownerId, caption, image } = input;
  await forgetImageKeyBefore(
    store.db,
    ownerId,
    idempotencyKey,
    new Date(Date.now() - IDEMPOTENCY_KEY_RETENTION_MS),
  );
  const earlier = await findImageByKey(store.db, ownerId, idempotencyKey);
  if (earlier === undefined) return undefined;
  const same =
    earlier.caption === caption.caption &&
    earlier.contentType === image.contentType &&
    earlier.width === image.width &&
    earlier.height === image.height;
  if (!same) throw idempotencyKeyReused();
  return findImageRecord(store.db, earlier.id, ownerId);
}

async function storeNewUpload(store: ImageStore, input: UploadInput): Promise<ImageRecord> {
  const { db, outbox, blobs } = store;
  const { ownerId, caption, image, idempotencyKey } = input;
  const id = newId();
  let ownerUsername = "";
  const createdAt = new Date();
  await claimUpload(db, id);
  try {
    for (const rendition of renditions) await blobs.put(blobKeyOf(id, rendition), image.render(rendition));
    await db.transaction(async (tx) => {
      const owner = await holdActiveUser(tx, ownerId);
      ownerUsername = owner.username;
      const { contentType, width, height } = image;
      await insertImage(tx, { id, ownerId, caption, contentType, width, height, createdAt, idempotencyKey });
      await fanOutImage(
        tx,
        { id, ownerId, createdAt },
        { ownerOnly: !isFannedOut(createdAt, owner.fanOutStoppedAt) },
      );
      await releaseClaim(tx, id);
      await outbox.publish(tx, {
        topic: "images",
        type: "CREATED",
        aggregateId: id,
        payload: {
          imageId: id,
          ownerId,
          hashtags: caption.hashtags,
          mentions: caption.mentions,
          createdAt: timestampFromDate(createdAt),
        },
      });
    });
  } catch (error) {
    await abandon(store, id);
    throw error;
  }
  return {
    id,
    ownerId,
    ownerUsername,
    ...caption,
    contentType: image.contentType,
    width: image.width,
    height: image.height,
    likesCount: 0,
    commentsCount: 0,
    likedByMe: false,
    createdAt,
  };
}

/**
 * Undoes steps 1–2 after a failure — unless the row exists after all (a commit whose
 * acknowledgement was lost). When even that cannot be checked, the claim stays for the reaper.
 */
async function abandon(store: ImageStore, id: string): Promise<void> {
  try {
    if (await imageExists(store.db, id)) return;
    await Promise.all(renditions.map((rendition) => store.blobs.delete(blobKeyOf(id, rendition))));
    await releaseClaim(store.db, id);
  } catch (error) {
    store.logger.warn({ err: error, imageId: id }, "upload cleanup left to the blob reaper");
  }
}

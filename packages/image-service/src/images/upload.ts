import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { newId } from "@instagram/kit";
import { eq } from "drizzle-orm";
import { blobClaims, imageMentions, images, imageTags } from "../db/schema/index.ts";
import { fanOutImage } from "../db/timelines.ts";
import type { CaptionFacts } from "../domain/caption.ts";
import { isFannedOut } from "../domain/feed-policy.ts";
import type { ImageRecord } from "../domain/image-record.ts";
import { blobKeyOf, renditions } from "../domain/renditions.ts";
import type { ReceivedImage } from "../processing/image-processor.ts";
import type { ImageStore } from "./image-deps.ts";
import { holdActiveUser } from "./owners-model.ts";

/**
 * Stores a received upload. Crash ordering:
 * 1. a claim row ("upload") is committed for the new id;
 * 2. both renditions are written to the blob store (each atomically: scratch file + rename);
 * 3. one transaction inserts the image, its tags and mentions, its timeline entries (the owner's
 *    and every follower's feed), deletes the claim and publishes images.CREATED.
 * A crash before 3 commits leaves files without a row but with a claim: the blob reaper removes
 * them once the claim is older than its grace period. A row never exists without its files.
 */
export async function storeUpload(
  store: ImageStore,
  input: { ownerId: string; caption: CaptionFacts; image: ReceivedImage },
): Promise<ImageRecord> {
  const { db, outbox, blobs } = store;
  const { ownerId, caption, image } = input;
  const id = newId();
  let ownerUsername = "";
  const createdAt = new Date();
  await db.insert(blobClaims).values({ imageId: id, reason: "upload" });
  try {
    for (const rendition of renditions) await blobs.put(blobKeyOf(id, rendition), image.render(rendition));
    await db.transaction(async (tx) => {
      const owner = await holdActiveUser(tx, ownerId);
      ownerUsername = owner.username;
      await tx.insert(images).values({
        id,
        ownerId,
        caption: caption.caption,
        hashtags: caption.hashtags,
        mentions: caption.mentions,
        contentType: image.contentType,
        width: image.width,
        height: image.height,
        createdAt,
      });
      await fanOutImage(
        tx,
        { id, ownerId, createdAt },
        { ownerOnly: !isFannedOut(createdAt, owner.fanOutStoppedAt) },
      );
      if (caption.hashtags.length > 0) {
        await tx.insert(imageTags).values(caption.hashtags.map((tag) => ({ tag, imageId: id, createdAt })));
      }
      if (caption.mentions.length > 0) {
        await tx
          .insert(imageMentions)
          .values(caption.mentions.map((username) => ({ username, imageId: id, createdAt })));
      }
      await tx.delete(blobClaims).where(eq(blobClaims.imageId, id));
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
  store.published();
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
    const [row] = await store.db.select({ id: images.id }).from(images).where(eq(images.id, id));
    if (row !== undefined) return;
    await Promise.all(renditions.map((rendition) => store.blobs.delete(blobKeyOf(id, rendition))));
    await store.db.delete(blobClaims).where(eq(blobClaims.imageId, id));
  } catch (error) {
    store.logger.warn({ err: error, imageId: id }, "upload cleanup left to the blob reaper");
  }
}

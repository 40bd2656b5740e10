import type { Executor } from "@instagram/kit";
import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { CaptionFacts } from "../domain/caption.ts";
import { imageMentions, images, imageTags } from "./schema/index.ts";

// Writes to the images table (with its tags and mentions) and single-row lookups; the reads of
// whole ImageRecords are in image-records.ts.

export interface NewImage {
  id: string;
  ownerId: string;
  caption: CaptionFacts;
  contentType: string;
  width: number;
  height: number;
  createdAt: Date;
  /** The client's Idempotency-Key, if it sent one. */
  idempotencyKey?: string | undefined;
}

/** The image row with its tag and mention rows. */
export async function insertImage(tx: Executor, image: NewImage): Promise<void> {
  const { id, ownerId, caption, createdAt } = image;
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
    idempotencyKey: image.idempotencyKey ?? null,
  });
  if (caption.hashtags.length > 0) {
    await tx.insert(imageTags).values(caption.hashtags.map((tag) => ({ tag, imageId: id, createdAt })));
  }
  if (caption.mentions.length > 0) {
    await tx
      .insert(imageMentions)
      .values(caption.mentions.map((username) => ({ username, imageId: id, createdAt })));
  }
}

/** What an owner's image made with this Idempotency-Key was, to tell a retry from another request. */
export async function findImageByKey(
  db: Executor,
  ownerId: string,
  idempotencyKey: string,
): Promise<{ id: string; caption: string; contentType: string; width: number; height: number } | undefined> {
  const [row] = await db
    .select({
      id: images.id,
      caption: images.caption,
      contentType: images.contentType,
      width: images.width,
      height: images.height,
    })
    .from(images)
    .where(and(eq(images.ownerId, ownerId), eq(images.idempotencyKey, idempotencyKey)))
    .limit(1);
  return row;
}

/** Forgets the owner's use of this key on an image older than `before` (the key may be used again). */
export async function forgetImageKeyBefore(
  db: Executor,
  ownerId: string,
  idempotencyKey: string,
  before: Date,
): Promise<void> {
  await db
    .update(images)
    .set({ idempotencyKey: null })
    .where(
      and(
        eq(images.ownerId, ownerId),
        eq(images.idempotencyKey, idempotencyKey),
        lt(images.createdAt, before),
      ),
    );
}

/**
 * Forgets the keys of at most `limit` images made before `before` (through the partial index of
 * keyed images by age); resolves to how many. A row another sweep cleared meanwhile is skipped.
 */
export async function forgetImageKeysBefore(db: Executor, before: Date, limit: number): Promise<number> {
  const expired = db
    .select({ id: images.id })
    .from(images)
    .where(and(isNotNull(images.idempotencyKey), lt(images.createdAt, before)))
    .limit(limit);
  const cleared = await db
    .update(images)
    .set({ idempotencyKey: null })
    .where(and(inArray(images.id, expired), isNotNull(images.idempotencyKey)))
    .returning({ id: images.id });
  return cleared.length;
}

export async function imageExists(db: Executor, id: string): Promise<boolean> {
  const [row] = await db.select({ id: images.id }).from(images).where(eq(images.id, id));
  return row !== undefined;
}

/** The stored content type of an image, or undefined when there is no such image. */
export async function contentTypeOfImage(db: Executor, id: string): Promise<string | undefined> {
  const [row] = await db.select({ contentType: images.contentType }).from(images).where(eq(images.id, id));
  return row?.contentType;
}

/** The image's owner, its row locked for update until commit. */
export async function lockImage(
  tx: Executor,
  id: string,
): Promise<{ id: string; ownerId: string } | undefined> {
  const [row] = await tx
    .select({ id: images.id, ownerId: images.ownerId })
    .from(images)
    .where(eq(images.id, id))
    .for("update");
  return row;
}

export async function deleteImageRow(tx: Executor, id: string): Promise<void> {
  await tx.delete(images).where(eq(images.id, id));
}

/** Deletes every image of an owner (likes, tags and mentions cascade); answers what went. */
export function deleteImagesOf(tx: Executor, ownerId: string): Promise<{ id: string; ownerId: string }[]> {
  return tx
    .delete(images)
    .where(eq(images.ownerId, ownerId))
    .returning({ id: images.id, ownerId: images.ownerId });
}

/** Moves an image's likesCount by `delta`; answers its owner, or undefined when it does not exist. */
export async function addToLikesCount(
  tx: Executor,
  imageId: string,
  delta: 1 | -1,
): Promise<{ ownerId: string } | undefined> {
  const [image] = await tx
    .update(images)
    .set({ likesCount: delta === 1 ? sql`${images.likesCount} + 1` : sql`${images.likesCount} - 1` })
    .where(eq(images.id, imageId))
    .returning({ ownerId: images.ownerId });
  return image;
}

/** One like less on each of these images; answers those that exist. */
export function dropOneLikeEach(tx: Executor, ids: string[]): Promise<{ id: string; ownerId: string }[]> {
  return tx
    .update(images)
    .set({ likesCount: sql`${images.likesCount} - 1` })
    .where(inArray(images.id, ids))
    .returning({ id: images.id, ownerId: images.ownerId });
}

/** One comment more on an image (nothing when it does not exist). */
export async function countComment(tx: Executor, imageId: string): Promise<void> {
  await tx
    .update(images)
    .set({ commentsCount: sql`${images.commentsCount} + 1` })
    .where(eq(images.id, imageId));
}

/** One comment less on an image, never below zero. */
export async function uncountComment(tx: Executor, imageId: string): Promise<void> {
  await tx
    .update(images)
    .set({ commentsCount: sql`greatest(${images.commentsCount} - 1, 0)` })
    .where(eq(images.id, imageId));
}

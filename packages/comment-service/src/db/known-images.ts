import type { Executor } from "@instagram/kit";
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { authors, knownImages } from "./schema/index.ts";

export type ImageState = { ownerId: string; deleted: boolean };

/**
 * images.CREATED (or an owner found by RPC): remembers the image unless it is known, tombstones
 * included. The images and users topics are not ordered with each other, so the owner's
 * users.DELETED may have come first: then the image is remembered as a tombstone straight away
 * (image-service is deleting it; its images.DELETED follows).
 */
export async function rememberImage(db: Executor, imageId: string, ownerId: string, at: Date): Promise<void> {
  const buried = await db
    .select({ userId: authors.userId })
    .from(authors)
    .where(and(eq(authors.userId, ownerId), isNotNull(authors.deletedAt)));
  await db
    .insert(knownImages)
    .values({ imageId, ownerId, deletedAt: buried.length > 0 ? at : null })
    .onConflictDoNothing({ target: knownImages.imageId });
}

/**
 * images.DELETED: the image becomes a tombstone (also when its CREATED never arrived, if the owner
 * is known). Takes the row's lock, so a comment being written on it commits first and is then seen
 * by the caller's delete of the image's comments.
 */
export async function buryImage(
  db: Executor,
  imageId: string,
  ownerId: string | undefined,
  at: Date,
): Promise<void> {
  if (ownerId === undefined) {
    await db
      .update(knownImages)
      .set({ deletedAt: at })
      .where(and(eq(knownImages.imageId, imageId), isNull(knownImages.deletedAt)));
    return;
  }
  await db
    .insert(knownImages)
    .values({ imageId, ownerId, deletedAt: at })
    .onConflictDoUpdate({
      target: knownImages.imageId,
      set: { deletedAt: sql`coalesce(${knownImages.deletedAt}, excluded.deleted_at)` },
    });
}

/** users.DELETED: every image the user owns becomes a tombstone (image-service deletes them too). */
export async function buryImagesOf(db: Executor, ownerId: string, at: Date): Promise<void> {
  await db
    .update(knownImages)
    .set({ deletedAt: at })
    .where(and(eq(knownImages.ownerId, ownerId), isNull(knownImages.deletedAt)));
}

/**
 * What the read model knows of an image. `lock` takes a share lock (for a comment about to be
 * written on it): a concurrent burial waits for it, or it waits for the burial and sees the tombstone.
 */
export async function imageState(
  db: Executor,
  imageId: string,
  opts: { lock?: boolean } = {},
): Promise<ImageState | undefined> {
  const query = db
    .select({ ownerId: knownImages.ownerId, deletedAt: knownImages.deletedAt })
    .from(knownImages)
    .where(eq(knownImages.imageId, imageId));
  const rows = opts.lock === true ? await query.for("share") : await query;
  const row = rows[0];
  return row === undefined ? undefined : { ownerId: row.ownerId, deleted: row.deletedAt !== null };
}

import type { Executor } from "@instagram/kit";
import { count, eq } from "drizzle-orm";
import { ownedImages } from "./schema/index.ts";

/** Records an image of `ownerId`; true only when it was not known yet. */
export async function recordImage(db: Executor, imageId: string, ownerId: string): Promise<boolean> {
  const rows = await db
    .insert(ownedImages)
    .values({ imageId, ownerId })
    .onConflictDoNothing({ target: ownedImages.imageId })
    .returning({ imageId: ownedImages.imageId });
  return rows.length > 0;
}

/** Forgets an image; returns its owner only when it was known. */
export async function forgetImage(db: Executor, imageId: string): Promise<string | undefined> {
  const rows = await db
    .delete(ownedImages)
    .where(eq(ownedImages.imageId, imageId))
    .returning({ ownerId: ownedImages.ownerId });
  return rows[0]?.ownerId;
}

export async function countImagesOf(db: Executor, ownerId: string): Promise<number> {
  const rows = await db.select({ n: count() }).from(ownedImages).where(eq(ownedImages.ownerId, ownerId));
  return rows[0]?.n ?? 0;
}

export async function forgetImagesOf(db: Executor, ownerId: string): Promise<void> {
  await db.delete(ownedImages).where(eq(ownedImages.ownerId, ownerId));
}

import type { Executor } from "@instagram/kit";
import { and, eq, lt, or, sql } from "drizzle-orm";
import { blobClaims } from "./schema/index.ts";

export type BlobClaim = { imageId: string; reason: "upload" | "delete" };

/** Claims the files of an upload before they are written (see schema/blob-claims.ts). */
export async function claimUpload(db: Executor, imageId: string): Promise<void> {
  await db.insert(blobClaims).values({ imageId, reason: "upload" });
}

/** Drops whatever claim an image has. */
export async function releaseClaim(db: Executor, imageId: string): Promise<void> {
  await db.delete(blobClaims).where(eq(blobClaims.imageId, imageId));
}

/** Claims the files of images whose rows are deleted in `tx`, for the reaper. */
export async function claimForDelete(tx: Executor, imageIds: string[]): Promise<void> {
  await tx
    .insert(blobClaims)
    .values(imageIds.map((imageId) => ({ imageId, reason: "delete" as const })))
    .onConflictDoUpdate({ target: blobClaims.imageId, set: { reason: "delete" } });
}

/** Claims the reaper may settle now: every "delete", and "upload" claims older than the grace. */
export function dueClaims(db: Executor, uploadGraceSeconds: number, limit: number): Promise<BlobClaim[]> {
  return db
    .select({ imageId: blobClaims.imageId, reason: blobClaims.reason })
    .from(blobClaims)
    .where(
      or(
        eq(blobClaims.reason, "delete"),
        lt(blobClaims.since, sql`now() - make_interval(secs => ${uploadGraceSeconds}::double precision)`),
      ),
    )
    .limit(limit);
}

/** Removes a settled claim (unless it changed meanwhile). */
export async function settleClaim(db: Executor, claim: BlobClaim): Promise<void> {
  await db
    .delete(blobClaims)
    .where(and(eq(blobClaims.imageId, claim.imageId), eq(blobClaims.reason, claim.reason)));
}

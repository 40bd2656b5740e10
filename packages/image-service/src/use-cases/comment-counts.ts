import type { Executor } from "@instagram/kit";
import { countComment, uncountComment } from "../db/images.ts";

/** comments.CREATED: one more on the image's commentsCount (nothing for an image that is gone). */
export async function commentAdded(tx: Executor, imageId: string): Promise<void> {
  await countComment(tx, imageId);
}

/** comments.DELETED: one less, never below zero. */
export async function commentRemoved(tx: Executor, imageId: string): Promise<void> {
  await uncountComment(tx, imageId);
}

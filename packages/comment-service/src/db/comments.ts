import { type Executor, type ListPage, type ListPosition, selectListPage } from "@instagram/kit";
import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import { authors, type CommentRow, comments, knownImages } from "./schema/index.ts";

/** A comment as the service shows it: its row and its author's username. */
export interface CommentView extends Omit<CommentRow, "idempotencyKey"> {
  authorUsername: string;
}

/** What a removal took away: enough to publish comments.DELETED. */
export type RemovedComment = Pick<CommentRow, "id" | "imageId" | "authorId">;

const removed = { id: comments.id, imageId: comments.imageId, authorId: comments.authorId };

const commentView = {
  id: comments.id,
  imageId: comments.imageId,
  authorId: comments.authorId,
  text: comments.text,
  hashtags: comments.hashtags,
  mentions: comments.mentions,
  createdAt: comments.createdAt,
  authorUsername: sql<string>`coalesce(${authors.username}, '')`,
};

export async function insertComment(db: Executor, row: CommentRow): Promise<void> {
  await db.insert(comments).values(row);
}

/** The author's comment made with this Idempotency-Key, if any. */
export async function findCommentByKey(
  db: Executor,
  authorId: string,
  idempotencyKey: string,
): Promise<CommentView | undefined> {
  const rows = await db
    .select(commentView)
    .from(comments)
    .leftJoin(authors, eq(authors.userId, comments.authorId))
    .where(and(eq(comments.authorId, authorId), eq(comments.idempotencyKey, idempotencyKey)))
    .limit(1);
  return rows[0];
}

/** Forgets the author's use of this key on a comment older than `before` (the key may be used again). */
export async function forgetKeyBefore(
  db: Executor,
  authorId: string,
  idempotencyKey: string,
  before: Date,
): Promise<void> {
  await db
    .update(comments)
    .set({ idempotencyKey: null })
    .where(
      and(
        eq(comments.authorId, authorId),
        eq(comments.idempotencyKey, idempotencyKey),
        lt(comments.createdAt, before),
      ),
    );
}

/**
 * Forgets the keys of at most `limit` comments made before `before` (through the partial index of
 * keyed comments by age); resolves to how many. A row another sweep cleared meanwhile is skipped.
 */
export async function forgetKeysBefore(db: Executor, before: Date, limit: number): Promise<number> {
  const expired = db
    .select({ id: comments.id })
    .from(comments)
    .where(and(isNotNull(comments.idempotencyKey), lt(comments.createdAt, before)))
    .limit(limit);
  const cleared = await db
    .update(comments)
    .set({ idempotencyKey: null })
    .where(and(inArray(comments.id, expired), isNotNull(comments.idempotencyKey)))
    .returning({ id: comments.id });
  return cleared.length;
}

/** One page of an image's comments, oldest first. */
export function listImageComments(
  db: Executor,
  { imageId, ...page }: { imageId: string; after: ListPosition | undefined; limit: number },
): Promise<ListPage<CommentView>> {
  const views = db
    .select(commentView)
    .from(comments)
    .leftJoin(authors, eq(authors.userId, comments.authorId))
    .$dynamic();
  const byImage = eq(comments.imageId, imageId);
  return selectListPage(views, {
    createdAt: comments.createdAt,
    id: comments.id,
    order: "oldest-first",
    filter: byImage,
    ...page,
  });
}

/** A comment of an image, with the image's owner (from the images read model). */
export async function findCommentOnImage(
  db: Executor,
  imageId: string,
  commentId: string,
): Promise<{ authorId: string; imageOwnerId: string } | undefined> {
  const rows = await db
    .select({ authorId: comments.authorId, imageOwnerId: knownImages.ownerId })
    .from(comments)
    .innerJoin(knownImages, eq(knownImages.imageId, comments.imageId))
    .where(and(eq(comments.id, commentId), eq(comments.imageId, imageId)))
    .limit(1);
  return rows[0];
}

/** Deletes one comment; returns it only if this call removed it (a concurrent removal returns nothing). */
export async function deleteComment(db: Executor, commentId: string): Promise<RemovedComment | undefined> {
  const rows = await db.delete(comments).where(eq(comments.id, commentId)).returning(removed);
  return rows[0];
}

/** Deletes every comment on an image. */
export async function deleteCommentsOnImage(db: Executor, imageId: string): Promise<number> {
  const rows = await db.delete(comments).where(eq(comments.imageId, imageId)).returning({ id: comments.id });
  return rows.length;
}

/** Deletes every comment on the images a user owns (the images read model says which). */
export async function deleteCommentsOnImagesOf(db: Executor, ownerId: string): Promise<number> {
  const owned = db
    .select({ imageId: knownImages.imageId })
    .from(knownImages)
    .where(eq(knownImages.ownerId, ownerId));
  const rows = await db
    .delete(comments)
    .where(inArray(comments.imageId, owned))
    .returning({ id: comments.id });
  return rows.length;
}

/** Deletes every comment a user wrote, anywhere; returns them for comments.DELETED. */
export async function deleteCommentsBy(db: Executor, authorId: string): Promise<RemovedComment[]> {
  return db.delete(comments).where(eq(comments.authorId, authorId)).returning(removed);
}

import type { Executor } from "@instagram/kit";
import { type AnyColumn, and, desc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { type ImageRecord, type Page, pageOf } from "../domain/image-record.ts";
import type { ListKey } from "../domain/paging.ts";
import { imageMentions, images, imageTags, likes, owners } from "./schema/index.ts";

/** Reads of images as ImageRecords: one joined query per call, whatever the page size. */

function recordColumns(viewerId: string | undefined) {
  return {
    id: images.id,
    ownerId: images.ownerId,
    ownerUsername: sql<string>`coalesce(${owners.username}, '')`,
    caption: images.caption,
    hashtags: images.hashtags,
    mentions: images.mentions,
    contentType: images.contentType,
    width: images.width,
    height: images.height,
    likesCount: images.likesCount,
    commentsCount: images.commentsCount,
    likedByMe:
      viewerId === undefined
        ? sql<boolean>`false`.mapWith(Boolean)
        : sql<boolean>`exists (select 1 from ${likes} where ${likes.imageId} = ${images.id} and ${likes.userId} = ${viewerId}::uuid)`.mapWith(
            Boolean,
          ),
    createdAt: images.createdAt,
  };
}

function selectRecords(db: Executor, viewerId: string | undefined) {
  return db.select(recordColumns(viewerId)).from(images).leftJoin(owners, eq(owners.userId, images.ownerId));
}

/** Keyset condition for newest-first order on (createdAt, id). */
export function before(createdAt: AnyColumn, id: AnyColumn, after: ListKey | undefined): SQL | undefined {
  if (after === undefined) return undefined;
  return sql`(${createdAt}, ${id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`;
}

export async function findImageRecord(
  db: Executor,
  id: string,
  viewerId: string | undefined,
): Promise<ImageRecord | undefined> {
  const [row] = await selectRecords(db, viewerId).where(eq(images.id, id));
  return row;
}

export async function listOwnerImages(
  db: Executor,
  opts: { ownerId: string; viewerId: string | undefined; limit: number; after: ListKey | undefined },
): Promise<Page<ImageRecord>> {
  const rows = await selectRecords(db, opts.viewerId)
    .where(and(eq(images.ownerId, opts.ownerId), before(images.createdAt, images.id, opts.after)))
    .orderBy(desc(images.createdAt), desc(images.id))
    .limit(opts.limit + 1);
  return pageOf(rows, opts.limit, (row) => row);
}

export async function listTagImages(
  db: Executor,
  opts: { tag: string; viewerId: string | undefined; limit: number; after: ListKey | undefined },
): Promise<Page<ImageRecord>> {
  const rows = await selectRecords(db, opts.viewerId)
    .innerJoin(imageTags, eq(imageTags.imageId, images.id))
    .where(and(eq(imageTags.tag, opts.tag), before(imageTags.createdAt, imageTags.imageId, opts.after)))
    .orderBy(desc(imageTags.createdAt), desc(imageTags.imageId))
    .limit(opts.limit + 1);
  return pageOf(rows, opts.limit, (row) => row);
}

export async function listMentionImages(
  db: Executor,
  opts: { username: string; viewerId: string | undefined; limit: number; after: ListKey | undefined },
): Promise<Page<ImageRecord>> {
  const rows = await selectRecords(db, opts.viewerId)
    .innerJoin(imageMentions, eq(imageMentions.imageId, images.id))
    .where(
      and(
        eq(imageMentions.username, opts.username),
        before(imageMentions.createdAt, imageMentions.imageId, opts.after),
      ),
    )
    .orderBy(desc(imageMentions.createdAt), desc(imageMentions.imageId))
    .limit(opts.limit + 1);
  return pageOf(rows, opts.limit, (row) => row);
}

export async function ownersOfImages(
  db: Executor,
  ids: string[],
): Promise<{ imageId: string; ownerId: string }[]> {
  if (ids.length === 0) return [];
  return db
    .select({ imageId: images.id, ownerId: images.ownerId })
    .from(images)
    .where(inArray(images.id, ids));
}

/** The active (not deleted) user of a username in the owners read model. */
export async function findActiveOwnerByUsername(db: Executor, username: string): Promise<string | undefined> {
  const [row] = await db
    .select({ userId: owners.userId })
    .from(owners)
    .where(and(eq(owners.username, username), isNull(owners.deletedAt)))
    .limit(1);
  return row?.userId;
}

/** Whether the owners read model knows the user as deleted. */
export async function isDeletedOwner(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ deletedAt: owners.deletedAt })
    .from(owners)
    .where(eq(owners.userId, userId));
  return row?.deletedAt != null;
}

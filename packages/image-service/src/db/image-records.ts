import { type Executor, type ListPage, type ListPosition, selectListPage } from "@instagram/kit";
import { and, eq, gte, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { ImageRecord } from "../domain/image-record.ts";
import {
  feedFollows,
  imageMentions,
  images,
  imageTags,
  likes,
  owners,
  timelineEntries,
} from "./schema/index.ts";

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

export async function findImageRecord(
  db: Executor,
  id: string,
  viewerId: string | undefined,
): Promise<ImageRecord | undefined> {
  const [row] = await selectRecords(db, viewerId).where(eq(images.id, id));
  return row;
}

type ListPageQuery = { viewerId: string | undefined; limit: number; after: ListPosition | undefined };

export function listOwnerImages(
  db: Executor,
  opts: ListPageQuery & { ownerId: string },
): Promise<ListPage<ImageRecord>> {
  return selectListPage(selectRecords(db, opts.viewerId).$dynamic(), {
    createdAt: images.createdAt,
    id: images.id,
    order: "newest-first",
    filter: eq(images.ownerId, opts.ownerId),
    after: opts.after,
    limit: opts.limit,
  });
}

export function listTagImages(
  db: Executor,
  opts: ListPageQuery & { tag: string },
): Promise<ListPage<ImageRecord>> {
  const query = selectRecords(db, opts.viewerId)
    .innerJoin(imageTags, eq(imageTags.imageId, images.id))
    .$dynamic();
  return selectListPage(query, {
    createdAt: imageTags.createdAt,
    id: imageTags.imageId,
    order: "newest-first",
    filter: eq(imageTags.tag, opts.tag),
    after: opts.after,
    limit: opts.limit,
  });
}

export function listMentionImages(
  db: Executor,
  opts: ListPageQuery & { username: string },
): Promise<ListPage<ImageRecord>> {
  const query = selectRecords(db, opts.viewerId)
    .innerJoin(imageMentions, eq(imageMentions.imageId, images.id))
    .$dynamic();
  return selectListPage(query, {
    createdAt: imageMentions.createdAt,
    id: imageMentions.imageId,
    order: "newest-first",
    filter: eq(imageMentions.username, opts.username),
    after: opts.after,
    limit: opts.limit,
  });
}

/**
 * The reader's feed: from `horizon` on, their timeline (one backwards range scan of its primary
 * key, then each image by id); older than that, fanned out on read from the follow read model.
 * The two parts never overlap, so a page runs on into the older part without gaps or repeats.
 */
export async function listFeedImages(
  db: Executor,
  opts: { readerId: string; limit: number; after: ListPosition | undefined; horizon: Date },
): Promise<ListPage<ImageRecord>> {
  const recent = await selectListPage(
    selectRecords(db, opts.readerId)
      .innerJoin(timelineEntries, eq(timelineEntries.imageId, images.id))
      .$dynamic(),
    {
      createdAt: timelineEntries.createdAt,
      id: timelineEntries.imageId,
      order: "newest-first",
      filter: and(eq(timelineEntries.userId, opts.readerId), gte(timelineEntries.createdAt, opts.horizon)),
      after: opts.after,
      limit: opts.limit,
    },
  );
  if (recent.next !== undefined) return recent;
  const remaining = opts.limit - recent.items.length;
  const followees = db
    .select({ id: feedFollows.followeeId })
    .from(feedFollows)
    .where(eq(feedFollows.followerId, opts.readerId));
  const older = await selectListPage(selectRecords(db, opts.readerId).$dynamic(), {
    createdAt: images.createdAt,
    id: images.id,
    order: "newest-first",
    filter: and(
      lt(images.createdAt, opts.horizon),
      or(eq(images.ownerId, opts.readerId), inArray(images.ownerId, followees)),
    ),
    after: opts.after,
    limit: Math.max(remaining, 1),
  });
  if (remaining > 0) return { items: [...recent.items, ...older.items], next: older.next };
  // A full page from the timeline alone: more follow only if the older part has any.
  const last = recent.items.at(-1);
  return {
    items: recent.items,
    next: older.items.length > 0 && last ? { createdAt: last.createdAt, id: last.id } : undefined,
  };
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

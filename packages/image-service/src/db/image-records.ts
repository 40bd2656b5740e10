import { type Executor, type ListPage, type ListPosition, pageOf, selectListPage } from "@instagram/kit";
import { and, desc, eq, gte, inArray, isNull, type Placeholder, type SQL, sql } from "drizzle-orm";
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

function recordColumns(viewerId: string | Placeholder | undefined) {
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

function selectRecords(db: Executor, viewerId: string | Placeholder | undefined) {
  return db.select(recordColumns(viewerId)).from(images).leftJoin(owners, eq(owners.userId, images.ownerId));
}

/**
 * The hottest reads as prepared statements, built once per database: an image by id, and the
 * first page of a feed's timeline. A null viewer likes nothing.
 */
function prepareHotReads(db: Executor) {
  const viewerId = sql.placeholder("viewerId");
  return {
    byId: selectRecords(db, viewerId)
      .where(eq(images.id, sql.placeholder("id")))
      .prepare("image_record_by_id"),
    timelineFirstPage: selectRecords(db, viewerId)
      .innerJoin(timelineEntries, eq(timelineEntries.imageId, images.id))
      .where(
        and(
          eq(timelineEntries.userId, sql`${viewerId}::uuid`),
          gte(timelineEntries.createdAt, sql`${sql.placeholder("horizon")}::timestamptz`),
        ),
      )
      .orderBy(desc(timelineEntries.createdAt), desc(timelineEntries.imageId))
      .limit(sql.placeholder("rows"))
      .prepare("feed_timeline_first_page"),
  };
}

const hotReads = new WeakMap<Executor, ReturnType<typeof prepareHotReads>>();

function hotReadsOf(db: Executor): ReturnType<typeof prepareHotReads> {
  let reads = hotReads.get(db);
  if (reads === undefined) {
    reads = prepareHotReads(db);
    hotReads.set(db, reads);
  }
  return reads;
}

export async function findImageRecord(
  db: Executor,
  id: string,
  viewerId: string | undefined,
): Promise<ImageRecord | undefined> {
  const [row] = await hotReadsOf(db).byId.execute({ id, viewerId: viewerId ?? null });
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
 * The reader's feed. From `horizon` on: their timeline (one backwards range scan of its primary
 * key, each image then by id), merged with the recent images of followees past the fan-out limit
 * (read here instead of fanned out). Older than `horizon`: fanned out on read from the follow
 * read model. The parts never overlap, so pages run on from one into the next without gaps.
 */
export async function listFeedImages(
  db: Executor,
  opts: { readerId: string; limit: number; after: ListPosition | undefined; horizon: Date },
): Promise<ListPage<ImageRecord>> {
  const [timeline, mergedOnRead] = await Promise.all([timelinePage(db, opts), notFannedOutPage(db, opts)]);
  const recent = mergedPage(timeline, mergedOnRead, opts.limit);
  if (recent.next !== undefined) return recent;
  const remaining = opts.limit - recent.items.length;
  const older = await olderFeedPage(db, { ...opts, limit: Math.max(remaining, 1) });
  if (remaining > 0) return { items: [...recent.items, ...older.items], next: older.next };
  // A full page without the older part: more follow only if the older part has any.
  const last = recent.items.at(-1);
  return { items: recent.items, next: older.items.length > 0 && last ? positionOf(last) : undefined };
}

type FeedQuery = { readerId: string; limit: number; after: ListPosition | undefined; horizon: Date };

async function timelinePage(db: Executor, opts: FeedQuery): Promise<ListPage<ImageRecord>> {
  if (opts.after === undefined) {
    const rows = await hotReadsOf(db).timelineFirstPage.execute({
      viewerId: opts.readerId,
      horizon: opts.horizon.toISOString(),
      rows: opts.limit + 1,
    });
    return pageOf(rows, opts.limit);
  }
  return selectListPage(
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
}

/** Recent images of the reader's followees past the fan-out limit, made after they stopped. */
function notFannedOutPage(db: Executor, opts: FeedQuery): Promise<ListPage<ImageRecord>> {
  return followeesPage(db, opts, {
    followees: sql`select f.followee_id as id, o.fan_out_stopped_at as since
        from ${feedFollows} f
        join ${owners} o on o.user_id = f.followee_id and o.fan_out_stopped_at is not null
       where f.follower_id = ${opts.readerId}::uuid`,
    window: sql`img.created_at > followee.since and img.created_at >= ${opts.horizon.toISOString()}::timestamptz`,
  });
}

/** Behind the horizon: the images of everyone the reader follows, and the reader's own. */
function olderFeedPage(db: Executor, opts: FeedQuery): Promise<ListPage<ImageRecord>> {
  return followeesPage(db, opts, {
    followees: sql`select ${feedFollows.followeeId} as id from ${feedFollows}
       where ${feedFollows.followerId} = ${opts.readerId}::uuid
       union all select ${opts.readerId}::uuid`,
    window: sql`img.created_at < ${opts.horizon.toISOString()}::timestamptz`,
  });
}

/**
 * Fan-out on read: each followee's newest page in `window` straight from the (owner_id,
 * created_at, id) index, the newest of those overall, then those images by id — one statement,
 * bounded by followees × one page however many images they have.
 */
function followeesPage(
  db: Executor,
  opts: FeedQuery,
  part: { followees: SQL; window: SQL },
): Promise<ListPage<ImageRecord>> {
  const after =
    opts.after === undefined
      ? sql``
      : sql` and (img.created_at, img.id) < (${opts.after.createdAt.toISOString()}::timestamptz, ${opts.after.id}::uuid)`;
  const rows = opts.limit + 1;
  const picked = sql`(
      select recent.id from (${part.followees}) followee
        cross join lateral (
          select img.id, img.created_at from ${images} img
           where img.owner_id = followee.id and ${part.window}${after}
           order by img.created_at desc, img.id desc limit ${rows}) recent
       order by recent.created_at desc, recent.id desc limit ${rows}) as picked`;
  return selectListPage(
    selectRecords(db, opts.readerId).innerJoin(picked, sql`picked.id = ${images.id}`).$dynamic(),
    {
      createdAt: images.createdAt,
      id: images.id,
      order: "newest-first",
      after: opts.after,
      limit: opts.limit,
    },
  );
}

function positionOf(record: ImageRecord): ListPosition {
  return { createdAt: record.createdAt, id: record.id };
}

/** Newest first, as the lists are ordered: by created_at, then id. */
function newerFirst(a: ImageRecord, b: ImageRecord): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  return byTime !== 0 ? byTime : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Two pages of the same order over disjoint rows, as one page of `limit`. */
function mergedPage(
  a: ListPage<ImageRecord>,
  b: ListPage<ImageRecord>,
  limit: number,
): ListPage<ImageRecord> {
  if (b.items.length === 0 && b.next === undefined) return a;
  const all = [...a.items, ...b.items].sort(newerFirst);
  const items = all.slice(0, limit);
  const last = items.at(-1);
  const more = all.length > limit || a.next !== undefined || b.next !== undefined;
  return { items, next: more && last !== undefined ? positionOf(last) : undefined };
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

import { type Executor, type ListPage, type ListPosition, pageOf, selectListPage } from "@instagram/kit";
import { and, desc, eq, inArray, isNull, type Placeholder, sql } from "drizzle-orm";
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
 * recent part of a feed page (first page, and pages after a cursor). A null viewer likes nothing.
 */
function prepareHotReads(db: Executor) {
  const viewerId = sql.placeholder("viewerId");
  const recentFeed = (after: boolean, name: string) =>
    recentFeedQuery(db, {
      reader: viewerId,
      horizon: sql.placeholder("horizon"),
      rows: sql.placeholder("rows"),
      after: after ? { at: sql.placeholder("afterAt"), id: sql.placeholder("afterId") } : undefined,
    }).prepare(name);
  return {
    byId: selectRecords(db, viewerId)
      .where(eq(images.id, sql.placeholder("id")))
      .prepare("image_record_by_id"),
    recentFeedFirst: recentFeed(false, "feed_recent_first_page"),
    recentFeedAfter: recentFeed(true, "feed_recent_page_after"),
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

/**
 * A page of the images of the active owner named `username` (the owners read model), in one
 * statement; undefined when there is no such owner (looked up only when the page is empty).
 */
export async function listImagesOfUsername(
  db: Executor,
  opts: ListPageQuery & { username: string },
): Promise<ListPage<ImageRecord> | undefined> {
  const named = sql`(select named.user_id from ${owners} named
    where named.username = ${opts.username} and named.deleted_at is null limit 1)`;
  const page = await selectListPage(selectRecords(db, opts.viewerId).$dynamic(), {
    createdAt: images.createdAt,
    id: images.id,
    order: "newest-first",
    filter: eq(images.ownerId, named),
    after: opts.after,
    limit: opts.limit,
  });
  if (page.items.length > 0) return page;
  return (await findActiveOwnerByUsername(db, opts.username)) === undefined ? undefined : page;
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
 * The reader's feed. From `horizon` on: their timeline (a backwards range scan of its primary
 * key) together with the recent images of followees past the fan-out limit (read here instead of
 * fanned out) — one prepared statement. Older than `horizon`: fanned out on read from the follow
 * read model. The parts never overlap, so pages run on from one into the next without gaps.
 */
export async function listFeedImages(
  db: Executor,
  opts: { readerId: string; limit: number; after: ListPosition | undefined; horizon: Date },
): Promise<ListPage<ImageRecord>> {
  const reads = hotReadsOf(db);
  const bounds = { viewerId: opts.readerId, horizon: opts.horizon.toISOString(), rows: opts.limit + 1 };
  const rows =
    opts.after === undefined
      ? await reads.recentFeedFirst.execute(bounds)
      : await reads.recentFeedAfter.execute({
          ...bounds,
          afterAt: opts.after.createdAt.toISOString(),
          afterId: opts.after.id,
        });
  const recent = pageOf(rows, opts.limit);
  if (recent.next !== undefined) return recent;
  const remaining = opts.limit - recent.items.length;
  const older = await olderFeedPage(db, { ...opts, limit: Math.max(remaining, 1) });
  if (remaining > 0) return { items: [...recent.items, ...older.items], next: older.next };
  // A full page without the older part: more follow only if the older part has any.
  const last = recent.items.at(-1);
  return {
    items: recent.items,
    next: older.items.length > 0 && last ? { createdAt: last.createdAt, id: last.id } : undefined,
  };
}

/** Values of a feed query: bound parameters or placeholders of a prepared statement. */
interface FeedBounds {
  reader: unknown;
  horizon: unknown;
  rows: unknown;
  after: { at: unknown; id: unknown } | undefined;
}

/**
 * The recent part of a feed page: the newest `rows` of the reader's timeline and, per followee
 * past the fan-out limit, its newest `rows` since it stopped (a lateral probe of the (owner_id,
 * created_at, id) index, so bounded by followees × one page); then those images by id.
 */
function recentFeedQuery(db: Executor, b: FeedBounds) {
  const afterEntry =
    b.after === undefined
      ? sql``
      : sql` and (te.created_at, te.image_id) < (${b.after.at}::timestamptz, ${b.after.id}::uuid)`;
  const afterImage =
    b.after === undefined
      ? sql``
      : sql` and (img.created_at, img.id) < (${b.after.at}::timestamptz, ${b.after.id}::uuid)`;
  const picked = sql`((
      select te.image_id as id from ${timelineEntries} te
       where te.user_id = ${b.reader}::uuid and te.created_at >= ${b.horizon}::timestamptz${afterEntry}
       order by te.created_at desc, te.image_id desc limit ${b.rows}
    ) union all (
      select recent.id from ${feedFollows} f
        join ${owners} o on o.user_id = f.followee_id and o.fan_out_stopped_at is not null
        cross join lateral (
          select img.id, img.created_at from ${images} img
           where img.owner_id = f.followee_id and img.created_at > o.fan_out_stopped_at
             and img.created_at >= ${b.horizon}::timestamptz${afterImage}
           order by img.created_at desc, img.id desc limit ${b.rows}) recent
       where f.follower_id = ${b.reader}::uuid
       order by recent.created_at desc, recent.id desc limit ${b.rows}
    )) as picked`;
  return selectRecords(db, b.reader as string | Placeholder)
    .innerJoin(picked, sql`picked.id = ${images.id}`)
    .orderBy(desc(images.createdAt), desc(images.id))
    .limit(b.rows as number | Placeholder);
}

/**
 * Behind the horizon, fanned out on read: each of the reader's followees' (and the reader's own)
 * newest page from the (owner_id, created_at, id) index, the newest of those, then by id.
 */
function olderFeedPage(
  db: Executor,
  opts: { readerId: string; limit: number; after: ListPosition | undefined; horizon: Date },
): Promise<ListPage<ImageRecord>> {
  const after =
    opts.after === undefined
      ? sql``
      : sql` and (img.created_at, img.id) < (${opts.after.createdAt.toISOString()}::timestamptz, ${opts.after.id}::uuid)`;
  const rows = opts.limit + 1;
  const picked = sql`(
      select recent.id from (
        select ${feedFollows.followeeId} as id from ${feedFollows} where ${feedFollows.followerId} = ${opts.readerId}::uuid
        union all select ${opts.readerId}::uuid) followee
        cross join lateral (
          select img.id, img.created_at from ${images} img
           where img.owner_id = followee.id and img.created_at < ${opts.horizon.toISOString()}::timestamptz${after}
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

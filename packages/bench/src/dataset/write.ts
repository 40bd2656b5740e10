import { accounts } from "@instagram/auth-service/schema";
import { authors, comments, knownImages } from "@instagram/comment-service/schema";
import {
  feedFollows,
  imageMentions,
  images,
  imageTags,
  likes,
  owners,
} from "@instagram/image-service/schema";
import { type Executor, rowsOf } from "@instagram/kit";
import { follows, ownedImages, profiles } from "@instagram/user-service/schema";
import { sql } from "drizzle-orm";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import type { DatasetPlan, TextEntities } from "./plan.ts";
import {
  col,
  inChunks,
  insertInto,
  instantOf,
  intArray,
  tableName,
  textArray,
  uuidV7Of,
} from "./sql-values.ts";

const CHUNK = 25_000;

/** The file every image points at, as image-service would have described it. */
export interface StoredPicture {
  contentType: string;
  width: number;
  height: number;
}

// Index → id maps for the rows that others refer to, so chunks carry small integers, not UUIDs.
// Temporary tables: they live on the generator's one connection and vanish with it.
export async function createIndexTables(db: Executor, plan: DatasetPlan): Promise<void> {
  await db.execute(sql`create temporary table dataset_users (idx int primary key, id uuid not null)`);
  await db.execute(sql`create temporary table dataset_images (idx int primary key, id uuid not null)`);
  await inChunks(plan.users.ids.length, CHUNK, async (from, to) => {
    await db.execute(sql`insert into dataset_users (idx, id)
      select (ord - 1 + ${from})::int, id from unnest(${textArray(plan.users.ids, from, to)}::uuid[])
        with ordinality as t(id, ord)`);
  });
  await inChunks(plan.images.ids.length, CHUNK, async (from, to) => {
    await db.execute(sql`insert into dataset_images (idx, id)
      select (ord - 1 + ${from})::int, id from unnest(${textArray(plan.images.ids, from, to)}::uuid[])
        with ordinality as t(id, ord)`);
  });
}

/**
 * auth.accounts (one shared password hash), users.profiles with their final counters, and the
 * users read models of image-service (owners) and comment-service (authors).
 */
export async function writeUsers(
  db: Executor,
  plan: DatasetPlan,
  passwordHash: string,
  imagesCount: Int32Array,
): Promise<void> {
  const { ids, usernames, createdAt } = plan.users;
  await inChunks(ids.length, CHUNK, async (from, to) => {
    const rows = sql`unnest(${textArray(ids, from, to)}::uuid[], ${textArray(usernames, from, to)}::text[],
      ${intArray(createdAt, from, to)}::bigint[], ${intArray(plan.followersCount, from, to)}::bigint[],
      ${intArray(plan.followingCount, from, to)}::bigint[], ${intArray(imagesCount, from, to)}::bigint[])
      as t(id, username, at, followers, following, images)`;
    await db.execute(sql`${insertInto(accounts, [accounts.id, accounts.username, accounts.email, accounts.passwordHash, accounts.createdAt])}
      select id, username, username || '@bench.example', ${passwordHash}, ${instantOf(sql`at`)} from ${rows}`);
    await db.execute(sql`${insertInto(profiles, [
      profiles.id,
      profiles.username,
      profiles.followersCount,
      profiles.followingCount,
      profiles.imagesCount,
      profiles.createdAt,
      profiles.updatedAt,
    ])}
      select id, username, followers, following, images, ${instantOf(sql`at`)}, ${instantOf(sql`at`)} from ${rows}`);
  });
  await db.execute(sql`${insertInto(owners, [owners.userId, owners.username])}
    select ${col(profiles.id)}, ${col(profiles.username)} from ${tableName(profiles)}`);
  await db.execute(sql`${insertInto(authors, [authors.userId, authors.username])}
    select ${col(profiles.id)}, ${col(profiles.username)} from ${tableName(profiles)}`);
}

/** users.follows, then image-service's copy of the graph (feed_follows). */
export async function writeFollows(db: Executor, plan: DatasetPlan): Promise<void> {
  const { follower, followee, at } = plan.follows;
  await inChunks(follower.length, CHUNK * 2, async (from, to) => {
    await db.execute(sql`${insertInto(follows, [follows.id, follows.followerId, follows.followeeId, follows.createdAt])}
      select ${uuidV7Of(sql`t.at`, sql`(t.follower::bigint << 32) | t.followee`)}, a.id, b.id, ${instantOf(sql`t.at`)}
      from unnest(${intArray(follower, from, to)}::int[], ${intArray(followee, from, to)}::int[],
        ${intArray(at, from, to)}::bigint[]) as t(follower, followee, at)
      join dataset_users a on a.idx = t.follower
      join dataset_users b on b.idx = t.followee`);
  });
  await db.execute(sql`${insertInto(feedFollows, [feedFollows.followerId, feedFollows.followeeId, feedFollows.createdAt])}
    select ${col(follows.followerId)}, ${col(follows.followeeId)}, ${col(follows.createdAt)} from ${tableName(follows)}`);
}

function joined(
  entities: readonly TextEntities[],
  pick: (e: TextEntities) => string[],
  from: number,
  to: number,
) {
  // Neither a hashtag nor a username contains a space: one string per row, split again in SQL.
  return textArray(
    entities.slice(from, to).map((e) => pick(e).join(" ")),
    0,
    to - from,
  );
}

/**
 * images.images with their final counters; their tags and mentions; and the images read models of
 * user-service (owned_images) and comment-service (known_images).
 */
export async function writeImages(
  db: Executor,
  plan: DatasetPlan,
  picture: StoredPicture,
  likesCount: Int32Array,
  commentsCount: Int32Array,
): Promise<void> {
  const { ids, owner, at, captions, texts } = plan.images;
  await inChunks(ids.length, CHUNK, async (from, to) => {
    await db.execute(sql`${insertInto(images, [
      images.id,
      images.ownerId,
      images.caption,
      images.hashtags,
      images.mentions,
      images.contentType,
      images.width,
      images.height,
      images.likesCount,
      images.commentsCount,
      images.createdAt,
    ])}
      select t.id, u.id, t.caption, string_to_array(t.tags, ' '), string_to_array(t.mentions, ' '),
        ${picture.contentType}, ${picture.width}::int, ${picture.height}::int, t.likes, t.comments,
        ${instantOf(sql`t.at`)}
      from unnest(${textArray(ids, from, to)}::uuid[], ${intArray(owner, from, to)}::int[],
        ${textArray(captions, from, to)}::text[], ${joined(texts, (e) => e.hashtags, from, to)}::text[],
        ${joined(texts, (e) => e.mentions, from, to)}::text[], ${intArray(likesCount, from, to)}::int[],
        ${intArray(commentsCount, from, to)}::int[], ${intArray(at, from, to)}::bigint[])
        as t(id, owner, caption, tags, mentions, likes, comments, at)
      join dataset_users u on u.idx = t.owner`);
  });
  const image = tableName(images);
  await db.execute(sql`${insertInto(imageTags, [imageTags.tag, imageTags.imageId, imageTags.createdAt])}
    select unnest(${col(images.hashtags)}), ${col(images.id)}, ${col(images.createdAt)} from ${image}`);
  await db.execute(sql`${insertInto(imageMentions, [imageMentions.username, imageMentions.imageId, imageMentions.createdAt])}
    select unnest(${col(images.mentions)}), ${col(images.id)}, ${col(images.createdAt)} from ${image}`);
  await db.execute(sql`${insertInto(ownedImages, [ownedImages.imageId, ownedImages.ownerId])}
    select ${col(images.id)}::text, ${col(images.ownerId)} from ${image}`);
  await db.execute(sql`${insertInto(knownImages, [knownImages.imageId, knownImages.ownerId])}
    select ${col(images.id)}, ${col(images.ownerId)} from ${image}`);
}

export async function writeLikes(db: Executor, plan: DatasetPlan): Promise<void> {
  const { image, user, at } = plan.likes;
  await inChunks(image.length, CHUNK * 2, async (from, to) => {
    await db.execute(sql`${insertInto(likes, [likes.imageId, likes.userId, likes.createdAt])}
      select i.id, u.id, ${instantOf(sql`t.at`)}
      from unnest(${intArray(image, from, to)}::int[], ${intArray(user, from, to)}::int[],
        ${intArray(at, from, to)}::bigint[]) as t(image, liker, at)
      join dataset_images i on i.idx = t.image
      join dataset_users u on u.idx = t.liker`);
  });
}

export async function writeComments(db: Executor, plan: DatasetPlan): Promise<void> {
  const { image, author, at, texts, entities } = plan.comments;
  await inChunks(image.length, CHUNK, async (from, to) => {
    await db.execute(sql`${insertInto(comments, [
      comments.id,
      comments.imageId,
      comments.authorId,
      comments.text,
      comments.hashtags,
      comments.mentions,
      comments.createdAt,
    ])}
      select ${uuidV7Of(sql`t.at`, sql`t.ord - 1 + ${from}::bigint`)}, i.id, u.id, t.text, string_to_array(t.tags, ' '),
        string_to_array(t.mentions, ' '), ${instantOf(sql`t.at`)}
      from unnest(${intArray(image, from, to)}::int[], ${intArray(author, from, to)}::int[],
        ${textArray(texts, from, to)}::text[], ${joined(entities, (e) => e.hashtags, from, to)}::text[],
        ${joined(entities, (e) => e.mentions, from, to)}::text[], ${intArray(at, from, to)}::bigint[])
        with ordinality as t(image, author, text, tags, mentions, at, ord)
      join dataset_images i on i.idx = t.image
      join dataset_users u on u.idx = t.author`);
  });
}

/**
 * Every counter against the rows it counts, across services: the number of disagreements
 * (0 when the dataset is what the API would have produced).
 */
export async function countCounterMismatches(db: Executor): Promise<number> {
  // Grouped counts joined once (hash joins), not a correlated count per row.
  const [row] = rowsOf(
    await db.execute(sql`select
      (select count(*) from users.profiles p
        left join (select followee_id as id, count(*) as n from users.follows group by 1) a on a.id = p.id
        left join (select follower_id as id, count(*) as n from users.follows group by 1) b on b.id = p.id
        left join (select owner_id as id, count(*) as n from users.owned_images group by 1) c on c.id = p.id
        where p.followers_count <> coalesce(a.n, 0) or p.following_count <> coalesce(b.n, 0)
          or p.images_count <> coalesce(c.n, 0))
      + (select count(*) from images.images i
        left join (select image_id as id, count(*) as n from images.likes group by 1) l on l.id = i.id
        left join (select image_id as id, count(*) as n from comments.comments group by 1) c on c.id = i.id
        where i.likes_count <> coalesce(l.n, 0) or i.comments_count <> coalesce(c.n, 0))
      + (select count(*) from images.owners o
        left join (select followee_id as id, count(*) as n from images.feed_follows group by 1) f on f.id = o.user_id
        where o.followers_count <> coalesce(f.n, 0))
      + (select count(*) from users.follows f
        full join images.feed_follows g on g.follower_id = f.follower_id and g.followee_id = f.followee_id
        where f.follower_id is null or g.follower_id is null)
      as mismatches`),
  );
  return Number(row?.mismatches ?? Number.NaN);
}

export async function countRows(db: Executor): Promise<Record<string, number>> {
  const [row] = rowsOf(
    await db.execute(sql`select
      (select count(*) from auth.accounts) as accounts,
      (select count(*) from users.follows) as follows,
      (select count(*) from images.images) as images,
      (select count(*) from images.likes) as likes,
      (select count(*) from comments.comments) as comments,
      (select count(*) from images.image_tags) as "imageTags",
      (select count(*) from images.image_mentions) as "imageMentions",
      (select count(*) from images.timeline_entries) as "timelineEntries",
      (select (select count(*) from auth.outbox where sent_at is null) + (select count(*) from users.outbox where sent_at is null)
        + (select count(*) from images.outbox where sent_at is null) + (select count(*) from comments.outbox where sent_at is null)) as "pendingOutbox"`),
  );
  return Object.fromEntries(Object.entries(row ?? {}).map(([key, value]) => [key, Number(value)]));
}

/**
 * Drops the indexes of `tables` before a bulk load, returning the statements that build them
 * again afterwards (`buildIndexes`): one sorted build each instead of millions of random btree
 * inserts. Primary keys and unique constraints go too (recreated from pg_get_constraintdef),
 * unless a foreign key refers to them. Do both in one transaction, so a failure restores them all.
 */
export async function dropIndexes(ex: Executor, tables: PgTable[]): Promise<string[]> {
  const names = sql.join(
    tables.map((table) => {
      const config = getTableConfig(table);
      return sql`${`${config.schema ?? "public"}.${config.name}`}`;
    }),
    sql`, `,
  );
  const constraints = rowsOf(
    await ex.execute(sql`select format('%I.%I', n.nspname, t.relname) as "table", format('%I', c.conname) as name,
        pg_get_constraintdef(c.oid) as definition
      from pg_constraint c
      join pg_class t on t.oid = c.conrelid
      join pg_namespace n on n.oid = t.relnamespace
      where n.nspname || '.' || t.relname in (${names}) and c.contype in ('p', 'u')
        and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.conindid = c.conindid)`),
  );
  const indexes = rowsOf(
    await ex.execute(sql`select format('%I.%I', n.nspname, x.relname) as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i
      join pg_class x on x.oid = i.indexrelid
      join pg_class t on t.oid = i.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      where n.nspname || '.' || t.relname in (${names})
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`),
  );
  for (const index of indexes) await ex.execute(sql.raw(`drop index ${String(index.name)}`));
  for (const c of constraints)
    await ex.execute(sql.raw(`alter table ${String(c.table)} drop constraint ${String(c.name)}`));
  return [
    ...constraints.map(
      (c) => `alter table ${String(c.table)} add constraint ${String(c.name)} ${String(c.definition)}`,
    ),
    ...indexes.map((index) => String(index.definition)),
  ];
}

export async function buildIndexes(ex: Executor, statements: string[]): Promise<void> {
  await ex.execute(sql`set local maintenance_work_mem = '256MB'`);
  for (const statement of statements) await ex.execute(sql.raw(statement));
}

import { type SQL, sql } from "drizzle-orm";

/**
 * One query per kind of orphan row. Each selects `item` (the row's key, as text) and `gone` (the
 * id it refers to that no longer exists). Table and column names are those of the services'
 * migrations (packages/<service>/src/db/migrations); the unit test runs these queries against them.
 *
 * Accounts (auth.accounts) are the source of truth. Read-model tombstones (`deleted_at` set in
 * images.owners, comments.authors, comments.known_images) are kept on purpose, so that a late
 * event cannot bring the user or image back: only live read-model rows count.
 */
export interface RowCheck {
  place: string;
  /** What is wrong, given the id that is gone. */
  problem(gone: string): string;
  query: SQL;
}

const noAccount = (column: SQL): SQL =>
  sql`not exists (select 1 from auth.accounts a where a.id = ${column})`;
const noImage = (column: SQL): SQL =>
  sql`not exists (select 1 from images.images i where i.id::text = ${column}::text)`;

const namesNoAccount = (column: string) => (gone: string) => `${column} ${gone} names no account`;
const namesNoImage = (column: string) => (gone: string) => `${column} ${gone} names no image`;

export const rowChecks: readonly RowCheck[] = [
  {
    place: "users.profiles",
    problem: namesNoAccount("id"),
    query: sql`select 'id=' || p.id || ' username=' || p.username as item, p.id::text as gone
      from users.profiles p where ${noAccount(sql`p.id`)}`,
  },
  {
    place: "users.follows",
    problem: namesNoAccount("follower_id"),
    query: sql`select 'follower_id=' || f.follower_id || ' followee_id=' || f.followee_id as item,
        f.follower_id::text as gone
      from users.follows f where ${noAccount(sql`f.follower_id`)}`,
  },
  {
    place: "users.follows",
    problem: namesNoAccount("followee_id"),
    query: sql`select 'follower_id=' || f.follower_id || ' followee_id=' || f.followee_id as item,
        f.followee_id::text as gone
      from users.follows f where ${noAccount(sql`f.followee_id`)}`,
  },
  {
    place: "users.owned_images",
    problem: namesNoAccount("owner_id"),
    query: sql`select 'image_id=' || o.image_id as item, o.owner_id::text as gone
      from users.owned_images o where ${noAccount(sql`o.owner_id`)}`,
  },
  {
    place: "users.owned_images",
    problem: namesNoImage("image_id"),
    query: sql`select 'image_id=' || o.image_id as item, o.image_id as gone
      from users.owned_images o where ${noImage(sql`o.image_id`)}`,
  },
  {
    place: "images.images",
    problem: namesNoAccount("owner_id"),
    query: sql`select 'id=' || i.id as item, i.owner_id::text as gone
      from images.images i where ${noAccount(sql`i.owner_id`)}`,
  },
  {
    place: "images.likes",
    problem: namesNoAccount("user_id"),
    query: sql`select 'image_id=' || l.image_id || ' user_id=' || l.user_id as item, l.user_id::text as gone
      from images.likes l where ${noAccount(sql`l.user_id`)}`,
  },
  {
    place: "images.image_tags",
    problem: (gone) => `its image's owner ${gone} is no account`,
    query: sql`select 'tag=' || t.tag || ' image_id=' || t.image_id as item, i.owner_id::text as gone
      from images.image_tags t join images.images i on i.id = t.image_id
      where ${noAccount(sql`i.owner_id`)}`,
  },
  {
    place: "images.image_mentions",
    problem: (gone) => `its image's owner ${gone} is no account`,
    query: sql`select 'username=' || m.username || ' image_id=' || m.image_id as item, i.owner_id::text as gone
      from images.image_mentions m join images.images i on i.id = m.image_id
      where ${noAccount(sql`i.owner_id`)}`,
  },
  {
    place: "images.owners",
    problem: (gone) => `live owner ${gone} names no account`,
    query: sql`select 'user_id=' || o.user_id || ' username=' || o.username as item, o.user_id::text as gone
      from images.owners o where o.deleted_at is null and ${noAccount(sql`o.user_id`)}`,
  },
  {
    place: "comments.comments",
    problem: namesNoAccount("author_id"),
    query: sql`select 'id=' || c.id || ' image_id=' || c.image_id as item, c.author_id::text as gone
      from comments.comments c where ${noAccount(sql`c.author_id`)}`,
  },
  {
    place: "comments.comments",
    problem: namesNoImage("image_id"),
    query: sql`select 'id=' || c.id || ' author_id=' || c.author_id as item, c.image_id::text as gone
      from comments.comments c where ${noImage(sql`c.image_id`)}`,
  },
  {
    place: "comments.known_images",
    problem: (gone) => `live image's owner_id ${gone} names no account`,
    query: sql`select 'image_id=' || k.image_id as item, k.owner_id::text as gone
      from comments.known_images k where k.deleted_at is null and ${noAccount(sql`k.owner_id`)}`,
  },
  {
    place: "comments.known_images",
    problem: (gone) => `live image ${gone} names no image`,
    query: sql`select 'image_id=' || k.image_id as item, k.image_id::text as gone
      from comments.known_images k where k.deleted_at is null and ${noImage(sql`k.image_id`)}`,
  },
  {
    place: "comments.authors",
    problem: (gone) => `live author ${gone} names no account`,
    query: sql`select 'user_id=' || w.user_id || ' username=' || w.username as item, w.user_id::text as gone
      from comments.authors w where w.deleted_at is null and ${noAccount(sql`w.user_id`)}`,
  },
];

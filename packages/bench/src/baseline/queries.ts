import type { Sql } from "postgres";

// The rows the services read for each answer, each in one query against the same database.

export interface ProfileRow {
  id: string;
  username: string;
  display_name: string;
  bio: string;
  followers_count: string;
  following_count: string;
  images_count: string;
  created_at: Date;
  followed_by_me: boolean;
}

export interface ImageRow {
  id: string;
  owner_id: string;
  owner_username: string;
  caption: string;
  hashtags: string[];
  mentions: string[];
  content_type: string;
  width: number;
  height: number;
  likes_count: number;
  comments_count: number;
  created_at: Date;
  liked_by_me: boolean;
}

/** A profile by username (any case) and whether the viewer follows it. */
export async function findProfile(
  sql: Sql,
  username: string,
  viewerId: string,
): Promise<ProfileRow | undefined> {
  const [row] = await sql<ProfileRow[]>`
    select p.id, p.username, p.display_name, p.bio, p.followers_count, p.following_count,
           p.images_count, p.created_at,
           exists (select 1 from users.follows f
                   where f.follower_id = ${viewerId}::uuid and f.followee_id = p.id) as followed_by_me
    from users.profiles p
    where lower(p.username) = lower(${username})`;
  return row;
}

/** One image with its owner's username and whether the viewer likes it. */
export async function findImage(sql: Sql, id: string, viewerId: string): Promise<ImageRow | undefined> {
  const [row] = await sql<ImageRow[]>`
    select i.id, i.owner_id, coalesce(o.username, '') as owner_username, i.caption, i.hashtags,
           i.mentions, i.content_type, i.width, i.height, i.likes_count, i.comments_count, i.created_at,
           exists (select 1 from images.likes l
                   where l.image_id = i.id and l.user_id = ${viewerId}::uuid) as liked_by_me
    from images.images i left join images.owners o on o.user_id = i.owner_id
    where i.id = ${id}::uuid`;
  return row;
}

/**
 * The newest `limit + 1` images of a user found by username: no row when there is no such user,
 * one row with a null id when the user has no images.
 */
export function userImagesPage(
  sql: Sql,
  username: string,
  viewerId: string,
  limit: number,
): Promise<(ImageRow | (Record<keyof ImageRow, null> & { profile_id: string }))[]> {
  return sql`
    select p.id as profile_id, i.*
    from users.profiles p
    left join lateral (
      select i.id, i.owner_id, coalesce(o.username, '') as owner_username, i.caption, i.hashtags,
             i.mentions, i.content_type, i.width, i.height, i.likes_count, i.comments_count, i.created_at,
             exists (select 1 from images.likes l
                     where l.image_id = i.id and l.user_id = ${viewerId}::uuid) as liked_by_me
      from images.images i left join images.owners o on o.user_id = i.owner_id
      where i.owner_id = p.id
      order by i.created_at desc, i.id desc
      limit ${limit + 1}
    ) i on true
    where lower(p.username) = lower(${username})`;
}

/** The first `limit + 1` entries of the viewer's timeline, newest first, joined to the images. */
export function feedPage(sql: Sql, viewerId: string, limit: number): Promise<ImageRow[]> {
  return sql<ImageRow[]>`
    select i.id, i.owner_id, coalesce(o.username, '') as owner_username, i.caption, i.hashtags,
           i.mentions, i.content_type, i.width, i.height, i.likes_count, i.comments_count, i.created_at,
           exists (select 1 from images.likes l
                   where l.image_id = i.id and l.user_id = ${viewerId}::uuid) as liked_by_me
    from images.timeline_entries t
    join images.images i on i.id = t.image_id
    left join images.owners o on o.user_id = i.owner_id
    where t.user_id = ${viewerId}::uuid
    order by t.created_at desc, t.image_id desc
    limit ${limit + 1}`;
}

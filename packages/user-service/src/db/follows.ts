import type { Executor } from "@instagram/kit";
import { and, desc, eq, sql } from "drizzle-orm";
import { isUuid } from "../domain/ids.ts";
import { follows, type ProfileRow, profiles } from "./schema/index.ts";

/** A position in a list of edges, newest first: the last edge of the previous page. */
export interface EdgePosition {
  createdAt: Date;
  id: string;
}

export interface ProfileEdge {
  edge: EdgePosition;
  profile: ProfileRow;
}

export interface NewEdge {
  id: string;
  followerId: string;
  followeeId: string;
}

/** Inserts the edge unless it exists; returns its time only when this call created it. */
export async function insertEdge(db: Executor, edge: NewEdge): Promise<Date | undefined> {
  const rows = await db
    .insert(follows)
    .values(edge)
    .onConflictDoNothing({ target: [follows.followerId, follows.followeeId] })
    .returning({ createdAt: follows.createdAt });
  return rows[0]?.createdAt;
}

/** Deletes the edge; true only when this call removed it. */
export async function deleteEdge(db: Executor, followerId: string, followeeId: string): Promise<boolean> {
  const rows = await db
    .delete(follows)
    .where(and(eq(follows.followerId, followerId), eq(follows.followeeId, followeeId)))
    .returning({ id: follows.id });
  return rows.length > 0;
}

/**
 * Moves both counters of an edge by `delta`, in one transaction with the edge change. Rows are
 * updated in id order so that two opposite follows (a→b, b→a) lock in the same order and
 * cannot deadlock each other.
 */
export async function addToFollowCounts(
  db: Executor,
  followerId: string,
  followeeId: string,
  delta: 1 | -1,
): Promise<void> {
  const follower = async () =>
    db
      .update(profiles)
      .set({ followingCount: sql`${profiles.followingCount} + ${delta}` })
      .where(eq(profiles.id, followerId));
  const followee = async () =>
    db
      .update(profiles)
      .set({ followersCount: sql`${profiles.followersCount} + ${delta}` })
      .where(eq(profiles.id, followeeId));
  const [first, second] = followerId < followeeId ? [follower, followee] : [followee, follower];
  await first();
  await second();
}

function before(position: EdgePosition | undefined) {
  // Row comparison matches the (…, created_at desc, id desc) index: one range scan, no filter.
  return position === undefined
    ? undefined
    : sql`(${follows.createdAt}, ${follows.id}) < (${position.createdAt.toISOString()}::timestamptz, ${position.id}::uuid)`;
}

/** Who follows `userId`, newest edge first. */
export async function listFollowers(
  db: Executor,
  userId: string,
  after: EdgePosition | undefined,
  limit: number,
): Promise<ProfileEdge[]> {
  const rows = await db
    .select({ id: follows.id, createdAt: follows.createdAt, profile: profiles })
    .from(follows)
    .innerJoin(profiles, eq(profiles.id, follows.followerId))
    .where(and(eq(follows.followeeId, userId), before(after)))
    .orderBy(desc(follows.createdAt), desc(follows.id))
    .limit(limit);
  return rows.map((r) => ({ edge: { createdAt: r.createdAt, id: r.id }, profile: r.profile }));
}

/** Whom `userId` follows, newest edge first. */
export async function listFollowing(
  db: Executor,
  userId: string,
  after: EdgePosition | undefined,
  limit: number,
): Promise<ProfileEdge[]> {
  const rows = await db
    .select({ id: follows.id, createdAt: follows.createdAt, profile: profiles })
    .from(follows)
    .innerJoin(profiles, eq(profiles.id, follows.followeeId))
    .where(and(eq(follows.followerId, userId), before(after)))
    .orderBy(desc(follows.createdAt), desc(follows.id))
    .limit(limit);
  return rows.map((r) => ({ edge: { createdAt: r.createdAt, id: r.id }, profile: r.profile }));
}

/** The ids `userId` follows, newest edge first (no profile join: for the feed). */
export async function listFolloweeIds(
  db: Executor,
  userId: string,
  after: EdgePosition | undefined,
  limit: number,
): Promise<{ edge: EdgePosition; followeeId: string }[]> {
  const rows = await db
    .select({ id: follows.id, createdAt: follows.createdAt, followeeId: follows.followeeId })
    .from(follows)
    .where(and(eq(follows.followerId, userId), before(after)))
    .orderBy(desc(follows.createdAt), desc(follows.id))
    .limit(limit);
  return rows.map((r) => ({ edge: { createdAt: r.createdAt, id: r.id }, followeeId: r.followeeId }));
}

/**
 * Which of `ids` the caller follows: one query for a whole page (no N+1). One probe of the
 * (follower_id, followee_id) key per id, forced by the LATERAL … LIMIT 1, so the cost stays
 * O(page) even under a generic plan that cannot know the caller follows thousands (a plain
 * `followee_id in (…)` then scans all the caller's edges; see scripts/explain-follow-graph.ts).
 */
export async function followedBy(
  db: Executor,
  callerId: string | undefined,
  ids: string[],
): Promise<Set<string>> {
  if (callerId === undefined || !isUuid(callerId) || ids.length === 0) return new Set();
  const asked = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const result: unknown = await db.execute(sql`
    select asked.id from unnest(array[${asked}]) as asked(id)
    cross join lateral (
      select 1 from ${follows}
      where follower_id = ${callerId}::uuid and followee_id = asked.id
      limit 1
    ) as edge`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { id: string }[];
  return new Set(rows.map((r) => r.id));
}

/**
 * Deletes every edge of `userId`, both directions, and takes each one off the counter of the
 * person on the other side — one statement per direction, however many edges there are.
 */
export async function removeEdgesOf(db: Executor, userId: string): Promise<void> {
  await db.execute(sql`
    with gone as (delete from ${follows} where follower_id = ${userId} returning followee_id)
    update ${profiles} set followers_count = followers_count - gone_count.n
    from (select followee_id, count(*) as n from gone group by followee_id) as gone_count
    where ${profiles}.id = gone_count.followee_id`);
  await db.execute(sql`
    with gone as (delete from ${follows} where followee_id = ${userId} returning follower_id)
    update ${profiles} set following_count = following_count - gone_count.n
    from (select follower_id, count(*) as n from gone group by follower_id) as gone_count
    where ${profiles}.id = gone_count.follower_id`);
}

import {
  type Executor,
  isUuid,
  type ListPage,
  type ListPosition,
  rowsOf,
  selectListPage,
} from "@instagram/kit";
import { and, eq, sql } from "drizzle-orm";
import { follows, type ProfileRow, profiles } from "./schema/index.ts";

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

/** Who follows `userId`, newest edge first; pages are positioned by edge. */
export function listFollowers(
  db: Executor,
  userId: string,
  after: ListPosition | undefined,
  limit: number,
): Promise<ListPage<ProfileRow>> {
  return listEdgeProfiles(db, { userId, side: "followers", after, limit });
}

/** Whom `userId` follows, newest edge first; pages are positioned by edge. */
export function listFollowing(
  db: Executor,
  userId: string,
  after: ListPosition | undefined,
  limit: number,
): Promise<ListPage<ProfileRow>> {
  return listEdgeProfiles(db, { userId, side: "following", after, limit });
}

// The keyset on (created_at, id) matches the (…, created_at desc, id desc) indexes: one range scan.
const newestEdgeFirst = { createdAt: follows.createdAt, id: follows.id, order: "newest-first" } as const;

/** The profiles at the other end of the edges on one side of `userId`. */
async function listEdgeProfiles(
  db: Executor,
  query: { userId: string; side: "followers" | "following"; after: ListPosition | undefined; limit: number },
): Promise<ListPage<ProfileRow>> {
  const [own, other] =
    query.side === "followers"
      ? [follows.followeeId, follows.followerId]
      : [follows.followerId, follows.followeeId];
  const edges = db
    .select({ id: follows.id, createdAt: follows.createdAt, profile: profiles })
    .from(follows)
    .innerJoin(profiles, eq(profiles.id, other))
    .$dynamic();
  const page = await selectListPage(edges, {
    ...newestEdgeFirst,
    filter: eq(own, query.userId),
    after: query.after,
    limit: query.limit,
  });
  return { items: page.items.map((edge) => edge.profile), next: page.next };
}

/** The ids `userId` follows, newest edge first (no profile join: for the feed). */
export async function listFolloweeIds(
  db: Executor,
  userId: string,
  after: ListPosition | undefined,
  limit: number,
): Promise<ListPage<string>> {
  const edges = db
    .select({ id: follows.id, createdAt: follows.createdAt, followeeId: follows.followeeId })
    .from(follows)
    .$dynamic();
  const page = await selectListPage(edges, {
    ...newestEdgeFirst,
    filter: eq(follows.followerId, userId),
    after,
    limit,
  });
  return { items: page.items.map((edge) => edge.followeeId), next: page.next };
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
  return new Set(rowsOf(result).map((r) => String(r.id)));
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

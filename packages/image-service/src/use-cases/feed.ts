import type { Executor, ListPage, ListPosition } from "@instagram/kit";
import { listFeedImages } from "../db/image-records.ts";
import { lockFollowPair } from "../db/owners.ts";
import {
  backfillTimeline,
  clearTimelineOf,
  countFollower,
  deleteFollowEdge,
  insertFollowEdge,
} from "../db/timelines.ts";
import type { FeedPolicy } from "../domain/feed-policy.ts";
import type { ImageRecord } from "../domain/image-record.ts";
import type { ImageStore } from "./image-store.ts";

/** GET /v1/feed: the reader's images and their followees', newest first. */
export function readFeed(
  store: ImageStore,
  input: { readerId: string; limit: number; after: ListPosition | undefined },
): Promise<ListPage<ImageRecord>> {
  return listFeedImages(store.db, { ...input, horizon: store.feedPolicy.readFrom(new Date()) });
}

/**
 * users.FOLLOWED: the edge, the followee's count, and their recent images into the follower's
 * timeline. The followee's owners row is locked first, against their uploads (which hold it while
 * fanning out): an image is either fanned out to the new edge or backfilled by it — never missed,
 * never left behind after an unfollow.
 */
export async function followInFeed(
  tx: Executor,
  policy: FeedPolicy,
  edge: { followerId: string; followeeId: string; followedAt: Date },
): Promise<void> {
  const { eitherDeleted } = await lockFollowPair(tx, edge);
  if (eitherDeleted || !(await insertFollowEdge(tx, edge))) return;
  const fanOutStoppedAt = await countFollower(tx, edge.followeeId, 1, policy.fanOutLimit);
  await backfillTimeline(tx, edge, policy.keepFrom(new Date()), fanOutStoppedAt);
}

/** users.UNFOLLOWED: the edge, the followee's count, and their images out of the follower's timeline. */
export async function unfollowInFeed(
  tx: Executor,
  policy: FeedPolicy,
  edge: { followerId: string; followeeId: string },
): Promise<void> {
  await lockFollowPair(tx, edge);
  if (!(await deleteFollowEdge(tx, edge))) return;
  await countFollower(tx, edge.followeeId, -1, policy.fanOutLimit);
  await clearTimelineOf(tx, edge);
}

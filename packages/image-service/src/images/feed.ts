import type { Executor, ListPage, ListPosition } from "@instagram/kit";
import { listFeedImages } from "../db/image-records.ts";
import { addFollow, removeFollow } from "../db/timelines.ts";
import type { FeedHorizon } from "../domain/feed-horizon.ts";
import type { ImageRecord } from "../domain/image-record.ts";
import type { ImageStore } from "./image-deps.ts";
import { lockFollowPair } from "./owners-model.ts";

/** GET /v1/feed: the reader's images and their followees', newest first. */
export function readFeed(
  store: ImageStore,
  input: { readerId: string; limit: number; after: ListPosition | undefined },
): Promise<ListPage<ImageRecord>> {
  return listFeedImages(store.db, { ...input, horizon: store.feedHorizon.readFrom(new Date()) });
}

/** users.FOLLOWED: the followee's recent images join the follower's timeline. */
export async function followInFeed(
  tx: Executor,
  horizon: FeedHorizon,
  edge: { followerId: string; followeeId: string; followedAt: Date },
): Promise<void> {
  const { eitherDeleted } = await lockFollowPair(tx, edge);
  if (eitherDeleted) return;
  await addFollow(tx, edge, horizon.keepFrom(new Date()));
}

/** users.UNFOLLOWED: the followee's images leave the follower's timeline. */
export async function unfollowInFeed(
  tx: Executor,
  edge: { followerId: string; followeeId: string },
): Promise<void> {
  await lockFollowPair(tx, edge);
  await removeFollow(tx, edge);
}

import { timestampDate } from "@bufbuild/protobuf/wkt";
import { type EventHandlers, isUuid, type Outbox } from "@instagram/kit";
import { eq, sql } from "drizzle-orm";
import { images } from "../db/schema/index.ts";
import { removeFromFeeds } from "../db/timelines.ts";
import type { FeedPolicy } from "../domain/feed-policy.ts";
import { followInFeed, unfollowInFeed } from "../images/feed.ts";
import { buryOwner, rememberUsername } from "../images/owners-model.ts";
import { removeUserContent } from "../images/removal.ts";

/**
 * What image-service consumes (each applied with its inbox row in one transaction by the kit's
 * consumer, so a redelivery changes nothing):
 * - users.CREATED / UPDATED → the owners read model (usernames on Image views);
 * - users.DELETED → tombstone, then the user's images (files via the blob reaper) and the user's
 *   likes on other images, counters dropping, their edges and timeline; images.DELETED / UNLIKED
 *   published;
 * - users.FOLLOWED / UNFOLLOWED → the follow read model and the follower's timeline;
 * - comments.CREATED / DELETED → commentsCount.
 */
export function imageEventHandlers(deps: {
  outbox: Outbox;
  feedPolicy: FeedPolicy;
  afterUserRemoved(): void;
}): EventHandlers {
  return {
    users: {
      CREATED: async (tx, event) => {
        if (!isUuid(event.userId)) return;
        await rememberUsername(tx, event.userId, event.username);
      },
      UPDATED: async (tx, event) => {
        if (isUuid(event.userId) && event.username !== "")
          await rememberUsername(tx, event.userId, event.username);
      },
      DELETED: async (tx, event) => {
        if (!isUuid(event.userId)) return;
        await buryOwner(tx, event.userId, event.username);
        await removeUserContent(tx, deps.outbox, event.userId);
        await removeFromFeeds(tx, event.userId);
        deps.afterUserRemoved();
      },
      FOLLOWED: async (tx, event) => {
        if (!isUuid(event.followerId) || !isUuid(event.followeeId)) return;
        const followedAt = event.followedAt === undefined ? new Date() : timestampDate(event.followedAt);
        await followInFeed(tx, deps.feedPolicy, {
          followerId: event.followerId,
          followeeId: event.followeeId,
          followedAt,
        });
      },
      UNFOLLOWED: async (tx, event) => {
        if (!isUuid(event.followerId) || !isUuid(event.followeeId)) return;
        await unfollowInFeed(tx, deps.feedPolicy, event);
      },
    },
    comments: {
      CREATED: async (tx, event) => {
        if (!isUuid(event.imageId)) return;
        await tx
          .update(images)
          .set({ commentsCount: sql`${images.commentsCount} + 1` })
          .where(eq(images.id, event.imageId));
      },
      DELETED: async (tx, event) => {
        if (!isUuid(event.imageId)) return;
        await tx
          .update(images)
          .set({ commentsCount: sql`greatest(${images.commentsCount} - 1, 0)` })
          .where(eq(images.id, event.imageId));
      },
    },
  };
}

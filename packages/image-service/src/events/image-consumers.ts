import { timestampDate } from "@bufbuild/protobuf/wkt";
import { type EventHandlers, isUuid, type Outbox } from "@instagram/kit";
import type { FeedPolicy } from "../domain/feed-policy.ts";
import { commentAdded, commentRemoved } from "../use-cases/comment-counts.ts";
import { followInFeed, unfollowInFeed } from "../use-cases/feed.ts";
import { ownerNamed } from "../use-cases/owners.ts";
import { removeUser } from "../use-cases/removal.ts";

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
  /** Called inside the consumer's transaction, before it commits (see service.ts). */
  afterUserRemoved(): void;
}): EventHandlers {
  return {
    users: {
      CREATED: async (tx, event) => {
        if (!isUuid(event.userId)) return;
        await ownerNamed(tx, event.userId, event.username);
      },
      UPDATED: async (tx, event) => {
        if (isUuid(event.userId) && event.username !== "") await ownerNamed(tx, event.userId, event.username);
      },
      DELETED: async (tx, event) => {
        if (!isUuid(event.userId)) return;
        await removeUser(tx, deps.outbox, event);
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
        await commentAdded(tx, event.imageId);
      },
      DELETED: async (tx, event) => {
        if (!isUuid(event.imageId)) return;
        await commentRemoved(tx, event.imageId);
      },
    },
  };
}

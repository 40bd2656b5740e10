import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type Database,
  type Executor,
  inTransaction,
  isForeignKeyViolation,
  isUuid,
  type ListPage,
  type ListPosition,
  newId,
  type Outbox,
} from "@instagram/kit";
import {
  addToFollowCounts,
  deleteEdge,
  insertEdge,
  listFolloweeIds,
  listFollowers,
  listFollowing,
} from "../db/follows.ts";
import { type ProfileView, viewProfiles } from "../db/profile-views.ts";
import { findProfileByUsername } from "../db/profiles.ts";
import type { ProfileRow } from "../db/schema/index.ts";
import { profileNotFound } from "../domain/errors.ts";
import { assertNotSelf } from "../domain/follow.ts";

export interface FollowGraphDeps {
  db: Database;
  outbox: Outbox;
}

/** Follow edges and the counters they drive. Usernames given here are lower-cased keys. */
export interface FollowGraph {
  /** Idempotent; true when the edge is new. */
  follow(callerId: string, followeeKey: string): Promise<boolean>;
  /** Idempotent; true when an edge was removed. */
  unfollow(callerId: string, followeeKey: string): Promise<boolean>;
  followers(
    callerId: string | undefined,
    key: string,
    after: ListPosition | undefined,
    limit: number,
  ): Promise<ListPage<ProfileView>>;
  following(
    callerId: string | undefined,
    key: string,
    after: ListPosition | undefined,
    limit: number,
  ): Promise<ListPage<ProfileView>>;
  followeeIds(userId: string, after: ListPosition | undefined, limit: number): Promise<ListPage<string>>;
}

export function createFollowGraph(deps: FollowGraphDeps): FollowGraph {
  const { db, outbox } = deps;

  async function profileNamed(exec: Executor, key: string) {
    const followee = await findProfileByUsername(exec, key);
    if (!followee) throw profileNotFound();
    return followee;
  }

  async function viewPage(
    callerId: string | undefined,
    page: ListPage<ProfileRow>,
  ): Promise<ListPage<ProfileView>> {
    return { items: await viewProfiles(db, callerId, page.items), next: page.next };
  }

  return {
    async follow(callerId, followeeKey) {
      if (!isUuid(callerId)) throw profileNotFound();
      try {
        return await inTransaction(db, async (tx) => {
          const followee = await profileNamed(tx, followeeKey);
          assertNotSelf(callerId, followee.id);
          const followedAt = await insertEdge(tx, {
            id: newId(),
            followerId: callerId,
            followeeId: followee.id,
          });
          if (followedAt === undefined) return false;
          await addToFollowCounts(tx, callerId, followee.id, 1);
          await outbox.publish(tx, {
            topic: "users",
            type: "FOLLOWED",
            aggregateId: callerId,
            payload: {
              followerId: callerId,
              followeeId: followee.id,
              followedAt: timestampFromDate(followedAt),
            },
          });
          return true;
        });
      } catch (error) {
        // The caller has no profile (yet: accounts.CREATED not consumed), or the followee was
        // deleted in the meantime.
        throw isForeignKeyViolation(error) ? profileNotFound() : error;
      }
    },

    async unfollow(callerId, followeeKey) {
      if (!isUuid(callerId)) throw profileNotFound();
      return inTransaction(db, async (tx) => {
        const followee = await profileNamed(tx, followeeKey);
        if (followee.id === callerId) return false; // there is never such an edge
        if (!(await deleteEdge(tx, callerId, followee.id))) return false;
        await addToFollowCounts(tx, callerId, followee.id, -1);
        await outbox.publish(tx, {
          topic: "users",
          type: "UNFOLLOWED",
          aggregateId: callerId,
          payload: { followerId: callerId, followeeId: followee.id },
        });
        return true;
      });
    },

    async followers(callerId, key, after, limit) {
      const user = await profileNamed(db, key);
      return viewPage(callerId, await listFollowers(db, user.id, after, limit));
    },

    async following(callerId, key, after, limit) {
      const user = await profileNamed(db, key);
      return viewPage(callerId, await listFollowing(db, user.id, after, limit));
    },

    async followeeIds(userId, after, limit) {
      if (!isUuid(userId)) return { items: [], next: undefined };
      return listFolloweeIds(db, userId, after, limit);
    },
  };
}

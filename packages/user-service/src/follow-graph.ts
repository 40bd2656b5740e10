import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Database, type Executor, newId, type Outbox } from "@instagram/kit";
import {
  addToFollowCounts,
  deleteEdge,
  type EdgePosition,
  insertEdge,
  listFolloweeIds,
  listFollowers,
  listFollowing,
  type ProfileEdge,
} from "./db/follows.ts";
import { findProfileById, findProfileByUsername } from "./db/profiles.ts";
import { FOREIGN_KEY_VIOLATION, inTransaction, sqlStateOf } from "./db/transaction.ts";
import { ProfileNotFound } from "./domain/errors.ts";
import { assertNotSelf } from "./domain/follow.ts";
import { isUuid } from "./domain/ids.ts";
import { type ProfileView, viewProfiles } from "./profile-view.ts";

export interface FollowGraphDeps {
  db: Database;
  outbox: Outbox;
  /** Called after a commit that published events (e.g. the relay's kick). */
  published?: () => void;
}

export interface EdgePage<T> {
  items: T[];
  /** The last edge of a full page, or undefined at the end. */
  last: EdgePosition | undefined;
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
    after: EdgePosition | undefined,
    limit: number,
  ): Promise<EdgePage<ProfileView>>;
  following(
    callerId: string | undefined,
    key: string,
    after: EdgePosition | undefined,
    limit: number,
  ): Promise<EdgePage<ProfileView>>;
  followeeIds(userId: string, after: EdgePosition | undefined, limit: number): Promise<EdgePage<string>>;
}

export function createFollowGraph(deps: FollowGraphDeps): FollowGraph {
  const { db, outbox } = deps;

  async function profileNamed(exec: Executor, key: string) {
    const followee = await findProfileByUsername(exec, key);
    if (!followee) throw new ProfileNotFound(key);
    return followee;
  }

  async function profilePage(
    callerId: string | undefined,
    rows: ProfileEdge[],
    limit: number,
  ): Promise<EdgePage<ProfileView>> {
    const page = rows.slice(0, limit);
    const views = await viewProfiles(
      db,
      callerId,
      page.map((r) => r.profile),
    );
    return { items: views, last: rows.length > limit ? page.at(-1)?.edge : undefined };
  }

  return {
    async follow(callerId, followeeKey) {
      if (!isUuid(callerId)) throw new ProfileNotFound(callerId);
      let created: boolean;
      try {
        created = await inTransaction(db, async (tx) => {
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
        if (sqlStateOf(error) === FOREIGN_KEY_VIOLATION) {
          const callerKnown = (await findProfileById(db, callerId)) !== undefined;
          throw new ProfileNotFound(callerKnown ? followeeKey : callerId);
        }
        throw error;
      }
      if (created) deps.published?.();
      return created;
    },

    async unfollow(callerId, followeeKey) {
      if (!isUuid(callerId)) throw new ProfileNotFound(callerId);
      const removed = await inTransaction(db, async (tx) => {
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
      if (removed) deps.published?.();
      return removed;
    },

    async followers(callerId, key, after, limit) {
      const user = await profileNamed(db, key);
      return profilePage(callerId, await listFollowers(db, user.id, after, limit + 1), limit);
    },

    async following(callerId, key, after, limit) {
      const user = await profileNamed(db, key);
      return profilePage(callerId, await listFollowing(db, user.id, after, limit + 1), limit);
    },

    async followeeIds(userId, after, limit) {
      if (!isUuid(userId)) return { items: [], last: undefined };
      const rows = await listFolloweeIds(db, userId, after, limit + 1);
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => r.followeeId),
        last: rows.length > limit ? page.at(-1)?.edge : undefined,
      };
    },
  };
}

import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { Page, UserService } from "@instagram/contracts/user";
import { callerOf, invalidField, listCursor, requireCaller, resolveListPage } from "@instagram/kit";
import { parseProfileEdit } from "../domain/profile-edit.ts";
import { parseSearchQuery } from "../domain/search-query.ts";
import { usernameKey } from "../domain/username.ts";
import type { FollowGraph } from "../use-cases/follow-graph.ts";
import type { ProfileDirectory } from "../use-cases/profile-directory.ts";
import { followeeIdsPage, usernameCursor, usernamePage } from "./paging.ts";
import { toProfileMessage } from "./profile-message.ts";

/** Most profiles one BatchGetProfiles call may ask for. */
const BATCH_PROFILES_MAX = 100;

export interface UserServiceDeps {
  directory: ProfileDirectory;
  graph: FollowGraph;
}

/** ListFollowers / ListFollowing: one page of the profiles at the other end of a user's edges. */
function edgeList(list: FollowGraph["followers"]) {
  return async (req: { username: string; page?: Page }, ctx: HandlerContext) => {
    const key = usernameKey(req.username);
    const { limit, after } = resolveListPage(req.page);
    const page = await list(callerOf(ctx), key, after, limit);
    return { profiles: page.items.map(toProfileMessage), nextCursor: listCursor(page.next) };
  };
}

/** UserService over Connect: decode, call the directory or the graph, encode; the kit maps errors. */
export function createUserServiceImpl(deps: UserServiceDeps): ServiceImpl<typeof UserService> {
  const { directory, graph } = deps;
  return {
    async getProfile(req, ctx) {
      const caller = callerOf(ctx);
      switch (req.key.case) {
        case "id":
          return { profile: toProfileMessage(await directory.byId(caller, req.key.value)) };
        case "username":
          return {
            profile: toProfileMessage(await directory.byUsername(caller, usernameKey(req.key.value))),
          };
        case "me": {
          const me = requireCaller(ctx);
          return { profile: toProfileMessage(await directory.byId(me, me)) };
        }
        default:
          throw invalidField("key", "one of id, username or me is required");
      }
    },

    async updateProfile(req, ctx) {
      const me = requireCaller(ctx);
      const edit = parseProfileEdit({ displayName: req.displayName, bio: req.bio });
      return { profile: toProfileMessage(await directory.edit(me, edit)) };
    },

    async searchProfiles(req, ctx) {
      const range = parseSearchQuery(req.query);
      const { limit, after } = usernamePage(req.page);
      const page = await directory.search(callerOf(ctx), range, after, limit);
      return { profiles: page.profiles.map(toProfileMessage), nextCursor: usernameCursor(page.lastKey) };
    },

    async follow(req, ctx) {
      await graph.follow(requireCaller(ctx), usernameKey(req.username));
      return {};
    },

    async unfollow(req, ctx) {
      await graph.unfollow(requireCaller(ctx), usernameKey(req.username));
      return {};
    },

    listFollowers: edgeList(graph.followers),
    listFollowing: edgeList(graph.following),

    async listFolloweeIds(req) {
      if (req.userId === "") throw invalidField("userId", "is required");
      const { limit, after } = followeeIdsPage(req.page);
      const page = await graph.followeeIds(req.userId, after, limit);
      return { userIds: page.items, nextCursor: listCursor(page.next) };
    },

    async batchGetProfiles(req, ctx) {
      if (req.ids.length > BATCH_PROFILES_MAX) {
        throw invalidField("ids", `at most ${BATCH_PROFILES_MAX} ids per call`);
      }
      return { profiles: (await directory.byIds(callerOf(ctx), req.ids)).map(toProfileMessage) };
    },
  };
}
